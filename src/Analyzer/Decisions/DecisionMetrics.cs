using System.Diagnostics.Metrics;
using Analytics.Detection;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Telemetry;

namespace Analytics.Analyzer.Decisions;

/// <summary>
/// Decisions (meter <c>Analytics.Analyzer.Decisions</c>): published by source and action, in force
/// by scope and source, and those the per-minute cap or the allowlist held back.
/// </summary>
internal sealed class DecisionMetrics
{
    public const string MeterName = "Analytics.Analyzer.Decisions";

    private readonly TaggedCounts _published;

    public DecisionMetrics(IMeterFactory meterFactory, AnalyzerPipeline pipeline, DecisionLedger ledger)
    {
        var meter = meterFactory.Create(MeterName);
        _published = new TaggedCounts(meter, "analytics.analyzer.decisions.published", "{decision}", "Decisions published, by source and action", "source", "action");
        meter.CreateObservableUpDownCounter("analytics.analyzer.decisions.active", () => InForce(ledger), "{decision}", "Decisions in force, by scope and source");
        meter.CreateObservableCounter("analytics.analyzer.decisions.capped", () => pipeline.Decisions.Capped, "{decision}", "Decisions not made because of the per-minute cap");
        meter.CreateObservableCounter("analytics.analyzer.decisions.allowlisted", () => pipeline.Decisions.Suppressed, "{decision}", "Decisions not made because the entity is allowlisted");
    }

    /// <summary>Counts a published decision (none for an alert-only or capped detection).</summary>
    public void Published(Decision? decision)
    {
        if (decision is not null)
        {
            _published.Add(1, decision.Source, decision.Action);
        }
    }

    private static IEnumerable<Measurement<int>> InForce(DecisionLedger ledger) =>
        ledger.Snapshot()
            .GroupBy(d => (d.Scope, d.Source))
            .Select(g => new Measurement<int>(g.Count(),
                new KeyValuePair<string, object?>("scope", g.Key.Scope),
                new KeyValuePair<string, object?>("source", g.Key.Source)));
}
