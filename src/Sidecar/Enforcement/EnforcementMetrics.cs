using System.Diagnostics.Metrics;
using Analytics.ServiceDefaults.Telemetry;

namespace Analytics.Sidecar.Enforcement;

/// <summary>
/// Decision enforcement (meter <c>Analytics.Sidecar.Enforcement</c>): decisions in force by scope
/// and source, matches of simulated (dry-run) decisions, and decisions refused from the stream. <c>GET /stats</c> reads the same values.
/// </summary>
internal sealed class EnforcementMetrics
{
    public const string MeterName = "Analytics.Sidecar.Enforcement";

    private readonly TaggedCounts _simulated;
    private readonly TaggedCounts _rejected;

    public EnforcementMetrics(IMeterFactory meters, DecisionStore store)
    {
        var meter = meters.Create(MeterName);
        _simulated = new TaggedCounts(meter, "analytics.sidecar.decisions.simulated_matches", "{request}",
            "Requests a simulated (dry-run) decision matched; logged, not enforced", "scope");
        _rejected = new TaggedCounts(meter, "analytics.sidecar.decisions.rejected", "{decision}",
            "Decisions refused (invalid, unsigned, badly signed, over the cap) and dead-lettered, by reason", "reason");
        meter.CreateObservableUpDownCounter("analytics.sidecar.decisions.active", () => InForce(store), "{decision}",
            "Decisions in force, by scope and source (rule:<name>, model:<name>, manual)");
    }

    /// <summary>Simulated matches since start.</summary>
    public long SimulatedMatches => _simulated.Total;

    public void SimulatedMatch(string scope) => _simulated.Add(1, scope);

    /// <summary>Decisions from the stream refused since start.</summary>
    public long DecisionsRejected => _rejected.Total;

    /// <summary>Counts a decision from the stream that was refused, by <see cref="Analytics.Messaging.Decisions.DecisionRejections"/> reason.</summary>
    public void DecisionRejected(string reason) => _rejected.Add(1, reason);

    private static IEnumerable<Measurement<int>> InForce(DecisionStore store) =>
        store.Active()
            .GroupBy(d => (d.Scope, d.Source))
            .Select(g => new Measurement<int>(g.Count(),
                new KeyValuePair<string, object?>("scope", g.Key.Scope),
                new KeyValuePair<string, object?>("source", g.Key.Source)));
}
