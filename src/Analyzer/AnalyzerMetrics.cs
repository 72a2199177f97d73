using System.Diagnostics.Metrics;
using Analytics.Detection;
using Analytics.Detection.Decisions;

namespace Analytics.Analyzer;

/// <summary>The analyzer's metrics (meter <c>Analytics.Analyzer</c>): events, decisions, alerts, and tracked state.</summary>
internal sealed class AnalyzerMetrics
{
    public const string MeterName = "Analytics.Analyzer";

    private readonly Counter<long> _events;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _alerts;

    public AnalyzerMetrics(IMeterFactory meterFactory, AnalyzerPipeline pipeline)
    {
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>("analyzer.events", description: "Request events analysed");
        _decisions = meter.CreateCounter<long>("analyzer.decisions", description: "Decisions published, by source and action");
        _alerts = meter.CreateCounter<long>("analyzer.alerts", description: "Alerts published, by type");
        meter.CreateObservableGauge("analyzer.tracked_entities", () => pipeline.Store.TrackedEntities, description: "Entities with sliding-window state");
        meter.CreateObservableCounter("analyzer.late_events", () => pipeline.Store.LateEvents, description: "Events older than the late tolerance, dropped");
        meter.CreateObservableCounter("analyzer.evicted_entities", () => pipeline.Store.Evicted, description: "Entities evicted (idle or over the cap)");
        meter.CreateObservableCounter("analyzer.decisions_capped", () => pipeline.Decisions.Capped, description: "Decisions not made because of the per-minute cap");
    }

    public void Event() => _events.Add(1);

    public void Published(AnalyzerOutcome outcome)
    {
        if (outcome.Decision is { } d)
        {
            _decisions.Add(1, new KeyValuePair<string, object?>("source", d.Source), new KeyValuePair<string, object?>("action", d.Action));
        }

        _alerts.Add(1, new KeyValuePair<string, object?>("type", outcome.Alert.Type));
    }
}
