using System.Diagnostics.Metrics;
using Analytics.Detection;

namespace Analytics.Analyzer.Ingest;

/// <summary>
/// Ingest and sliding-window state (meter <c>Analytics.Analyzer.Ingest</c>), observed from the
/// pipeline's own counts, which <c>GET /analyzer/stats</c> reports too.
/// </summary>
internal sealed class IngestMetrics
{
    public const string MeterName = "Analytics.Analyzer.Ingest";

    private readonly Counter<long> _failed;

    public IngestMetrics(IMeterFactory meterFactory, AnalyzerPipeline pipeline)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter("analytics.analyzer.events", () => pipeline.Events, "{event}", "Request events analysed");
        meter.CreateObservableUpDownCounter("analytics.analyzer.tracked_entities", () => pipeline.Store.TrackedEntities, "{entity}", "Entities with sliding-window state");
        meter.CreateObservableCounter("analytics.analyzer.late_events", () => pipeline.Store.LateEvents, "{event}", "Events older than the late tolerance, dropped");
        meter.CreateObservableCounter("analytics.analyzer.evicted_entities", () => pipeline.Store.Evicted, "{entity}", "Entities evicted (idle or over the cap)");
        _failed = meter.CreateCounter<long>("analytics.analyzer.events.failed", "{event}", "Events whose processing threw (logged, committed, skipped), by stage");
    }

    /// <summary>Counts an event the pipeline failed on; <paramref name="stage"/> is <c>first</c> or <c>entity</c>.</summary>
    public void Failed(string stage) => _failed.Add(1, new KeyValuePair<string, object?>("stage", stage));
}
