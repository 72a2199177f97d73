using System.Diagnostics.Metrics;
using Analytics.ServiceDefaults.Telemetry;

namespace Analytics.Sidecar.Enforcement;

/// <summary>
/// Decision enforcement (meter <c>Analytics.Sidecar.Enforcement</c>): decisions in force by scope
/// and source, and matches of simulated (dry-run) decisions. <c>GET /stats</c> reads the same values.
/// </summary>
internal sealed class EnforcementMetrics
{
    public const string MeterName = "Analytics.Sidecar.Enforcement";

    private readonly TaggedCounts _simulated;

    public EnforcementMetrics(IMeterFactory meters, DecisionStore store)
    {
        var meter = meters.Create(MeterName);
        _simulated = new TaggedCounts(meter, "analytics.sidecar.decisions.simulated_matches", "{request}",
            "Requests a simulated (dry-run) decision matched; logged, not enforced", "scope");
        meter.CreateObservableUpDownCounter("analytics.sidecar.decisions.active", () => InForce(store), "{decision}",
            "Decisions in force, by scope and source (rule:<name>, model:<name>, manual)");
    }

    /// <summary>Simulated matches since start.</summary>
    public long SimulatedMatches => _simulated.Total;

    public void SimulatedMatch(string scope) => _simulated.Add(1, scope);

    private static IEnumerable<Measurement<int>> InForce(DecisionStore store) =>
        store.Active()
            .GroupBy(d => (d.Scope, d.Source))
            .Select(g => new Measurement<int>(g.Count(),
                new KeyValuePair<string, object?>("scope", g.Key.Scope),
                new KeyValuePair<string, object?>("source", g.Key.Source)));
}
