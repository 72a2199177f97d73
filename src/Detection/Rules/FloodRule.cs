using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection.Rules;

/// <summary>Flood settings (<c>Analyzer:Rules:Flood</c>).</summary>
public sealed class FloodOptions : RuleOptions
{
    public FloodOptions() => Scopes = "ip,subject,route";

    /// <summary>Requests per second over 10 s below which nothing is a flood, whatever the baseline.</summary>
    public double MinRate { get; set; } = 50;

    /// <summary>Rate at least this many times the entity's own baseline (its EWMA of past minutes).</summary>
    public double BaselineFactor { get; set; } = 5;

    /// <summary>Route aggregate: requests per second over 10 s on one route before a route alert...</summary>
    public double RouteMinRate { get; set; } = 300;

    /// <summary>...at this multiple of the route's baseline.</summary>
    public double RouteBaselineFactor { get; set; } = 5;
}

/// <summary>A rate far above the entity's own baseline (and an absolute floor); route floods raise an alert.</summary>
internal sealed class FloodRule(FloodOptions options) : IDetector
{
    public string AlertType => AlertTypes.Flood;

    public int ScopeMask { get; } = ScopeMasks.Parse(options.Scopes);

    private static readonly int[] Shown = [F.Rate10s, F.BaselineRate, F.Rate1m, F.Ratio429];

    public string Name => "flood";

    public DetectorHit? Evaluate(ref DetectionContext ctx)
    {
        var f = ctx.Features;
        var route = ctx.Scope == EntityScope.Route;
        var min = route ? options.RouteMinRate : options.MinRate;
        var factor = route ? options.RouteBaselineFactor : options.BaselineFactor;
        var rate = f[F.Rate10s];
        if (rate < min)
        {
            return null;
        }

        // Without three minutes of history there is no baseline; the floor alone decides.
        var baseline = f[F.BaselineRate];
        if (ctx.State.BaselineMinutes >= 3 && rate < factor * baseline)
        {
            return null;
        }

        return RuleHits.Create(Name, AlertTypes.Flood, ref ctx, options,
            EvidenceBuilder.Build(ref ctx, "10s", Shown, new Dictionary<string, double>
            {
                ["rate_10s"] = min,
                ["baseline_factor"] = factor,
            }, $"{RuleHits.Describe(ref ctx)} sent {rate:0.#} requests/s over 10 s (floor {min}), {(baseline > 0 ? $"{rate / baseline:0.#}× its baseline of {baseline:0.##}/s (factor {factor})" : "with no baseline yet")}."),
            rate / min, $"Flood from {RuleHits.Describe(ref ctx)}", alertOnly: route);
    }
}
