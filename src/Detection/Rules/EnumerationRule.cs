using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection.Rules;

/// <summary>Enumeration / BOLA settings (<c>Analyzer:Rules:Enumeration</c>).</summary>
public sealed class EnumerationOptions : RuleOptions
{
    /// <summary>Distinct resource ids within one minute...</summary>
    public int DistinctIds1m { get; set; } = 40;

    /// <summary>...walked in neighbour steps at least this often (a sequential scan)...</summary>
    public double SequentialRatio { get; set; } = 0.5;

    /// <summary>...or answered 403/404 at least this often (probing ids that are not the caller's).</summary>
    public double DeniedShare { get; set; } = 0.3;

    /// <summary>Low and slow: neighbour steps within ten minutes, at this share of the requests.</summary>
    public int Sequential10m { get; set; } = 60;

    public double SequentialShare10m { get; set; } = 0.6;
}

/// <summary>Many distinct ids on one template: sequential scans or high 403/404 share (BOLA probing).</summary>
internal sealed class EnumerationRule(EnumerationOptions options) : IDetector
{
    public string AlertType => AlertTypes.Enumeration;

    public int ScopeMask { get; } = ScopeMasks.Parse(options.Scopes);

    private static readonly int[] Shown = [F.DistinctIds1m, F.SequentialRatio1m, F.Ratio403, F.Ratio404, F.Requests1m];
    private static readonly int[] ShownSlow = [F.Sequential10m, F.Requests10m, F.Errors4xx10m];

    public string Name => "enumeration";

    public DetectorHit? Evaluate(ref DetectionContext ctx)
    {
        if (ctx.Scope == EntityScope.Route)
        {
            return null;
        }

        var f = ctx.Features;
        var denied = f[F.Ratio403] + f[F.Ratio404];
        if (f[F.DistinctIds1m] >= options.DistinctIds1m && (f[F.SequentialRatio1m] >= options.SequentialRatio || denied >= options.DeniedShare))
        {
            var how = f[F.SequentialRatio1m] >= options.SequentialRatio ? $"{f[F.SequentialRatio1m]:P0} of them in sequence" : $"{denied:P0} answered 403/404";
            return RuleHits.Create(Name, AlertTypes.Enumeration, ref ctx, options,
                EvidenceBuilder.Build(ref ctx, "1m", Shown, new Dictionary<string, double>
                {
                    ["distinct_ids_1m"] = options.DistinctIds1m,
                    ["sequential_id_ratio_1m"] = options.SequentialRatio,
                    ["denied_share_1m"] = options.DeniedShare,
                }, $"{RuleHits.Describe(ref ctx)} requested {f[F.DistinctIds1m]:0} distinct resource ids within 1 minute (threshold {options.DistinctIds1m}), {how}."),
                f[F.DistinctIds1m] / options.DistinctIds1m, $"Enumeration by {RuleHits.Describe(ref ctx)}");
        }

        var share = f[F.Sequential10m] / Math.Max(1, f[F.Requests10m]);
        if (f[F.Sequential10m] >= options.Sequential10m && share >= options.SequentialShare10m)
        {
            return RuleHits.Create(Name, AlertTypes.Enumeration, ref ctx, options,
                EvidenceBuilder.Build(ref ctx, "10m", ShownSlow, new Dictionary<string, double>
                {
                    ["sequential_ids_10m"] = options.Sequential10m,
                    ["sequential_share_10m"] = options.SequentialShare10m,
                }, $"{RuleHits.Describe(ref ctx)} walked {f[F.Sequential10m]:0} neighbouring ids within 10 minutes, {share:P0} of its requests (thresholds {options.Sequential10m} and {options.SequentialShare10m:P0}): a slow sequential scan."),
                f[F.Sequential10m] / options.Sequential10m, $"Enumeration by {RuleHits.Describe(ref ctx)}");
        }

        return null;
    }
}
