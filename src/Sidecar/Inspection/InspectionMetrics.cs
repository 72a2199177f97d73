using System.Diagnostics;
using System.Diagnostics.Metrics;
using Analytics.ServiceDefaults.Telemetry;

namespace Analytics.Sidecar.Inspection;

/// <summary>
/// Request inspection (meter <c>Analytics.Sidecar.Inspection</c>): verdicts by the route's mode
/// (detect, block) and what came of them (allow, detect, block, undecodable), the rules and
/// families that matched, and how long inspecting took. Verdict counts are resolved at
/// start-up; rules and families are counted only for requests with findings. <c>GET /stats</c>
/// reads the same counts.
/// </summary>
internal sealed class InspectionMetrics
{
    public const string MeterName = "Analytics.Sidecar.Inspection";

    /// <summary>The <c>mode</c> tag: the route's inspection mode.</summary>
    public const string DetectMode = "detect";
    public const string BlockMode = "block";

    /// <summary>The <c>action</c> tag: under the threshold, recorded and forwarded, refused with 403, or refused with 400 as not inspectable.</summary>
    public const string Allow = "allow";
    public const string Detect = "detect";
    public const string Block = "block";
    public const string Undecodable = "undecodable";

    private readonly TaggedCounts _verdicts;
    private readonly TaggedCounts _rules;
    private readonly TaggedCounts _families;
    private readonly Histogram<double> _duration;
    private readonly TaggedCount _detectAllowed;
    private readonly TaggedCount _detectDetected;
    private readonly TaggedCount _detectUndecodable;
    private readonly TaggedCount _blockAllowed;
    private readonly TaggedCount _blockBlocked;
    private readonly TaggedCount _blockUndecodable;

    public InspectionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _verdicts = new TaggedCounts(meter, "analytics.sidecar.inspection.verdicts", "{request}",
            "Inspected requests, by the route's mode (detect, block) and action (allow, detect, block, undecodable)", "mode", "action");
        _rules = new TaggedCounts(meter, "analytics.sidecar.inspection.findings", "{finding}",
            "Inspection rules that matched, by rule id (one per rule per request)", "rule");
        _families = new TaggedCounts(meter, "analytics.sidecar.inspection.families", "{finding}",
            "Rule families that matched (sqli, xss, ...; one per family per request)", "family");
        _duration = meter.CreateHistogram<double>("analytics.sidecar.inspection.duration", "s",
            "Time spent normalising and scoring one request (the learned model included), by route");
        _detectAllowed = _verdicts.For(DetectMode, Allow);
        _detectDetected = _verdicts.For(DetectMode, Detect);
        _detectUndecodable = _verdicts.For(DetectMode, Undecodable);
        _blockAllowed = _verdicts.For(BlockMode, Allow);
        _blockBlocked = _verdicts.For(BlockMode, Block);
        _blockUndecodable = _verdicts.For(BlockMode, Undecodable);
    }

    /// <summary>Verdicts since start by action (allow, detect, block, undecodable), over both modes.</summary>
    public Dictionary<string, long> ByAction() => _verdicts.SumBy("action");

    /// <summary>Counts one verdict and what matched; <paramref name="started"/> is a <see cref="Stopwatch.GetTimestamp"/> from before inspecting.</summary>
    public void Inspected(string routeId, bool blockMode, bool over, string[] rules, string[] families, long started)
    {
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("route", routeId));
        (blockMode ? over ? _blockBlocked : _blockAllowed : over ? _detectDetected : _detectAllowed).Increment();
        foreach (var rule in rules)
        {
            _rules.Add(1, rule);
        }

        foreach (var family in families)
        {
            _families.Add(1, family);
        }
    }

    /// <summary>A body inspection could not decode (refused with 400).</summary>
    public void UndecodableBody(bool blockMode) => (blockMode ? _blockUndecodable : _detectUndecodable).Increment();
}
