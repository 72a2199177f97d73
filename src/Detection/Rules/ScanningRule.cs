using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection.Rules;

/// <summary>Scanning settings (<c>Analyzer:Rules:Scanning</c>).</summary>
public sealed class ScanningOptions : RuleOptions
{
    public ScanningOptions() => Scopes = "ip";

    /// <summary>Requests for well-known sensitive paths (<c>/.env</c>, <c>/.git/</c>, <c>/wp-admin</c>, ...) within ten minutes.</summary>
    public int SensitivePaths10m { get; set; } = 3;

    /// <summary>404s within one minute...</summary>
    public int NotFound1m { get; set; } = 30;

    /// <summary>...at this share of the requests.</summary>
    public double NotFoundShare { get; set; } = 0.5;
}

/// <summary>404 bursts and probes for well-known sensitive paths.</summary>
internal sealed class ScanningRule(ScanningOptions options) : IDetector
{
    public string AlertType => AlertTypes.Scanning;

    public int ScopeMask { get; } = ScopeMasks.Parse(options.Scopes);

    private static readonly int[] Shown = [F.Sensitive10m, F.Sensitive1m, F.Ratio404, F.Requests1m, F.NotFound10m];

    public string Name => "scanning";

    public DetectorHit? Evaluate(ref DetectionContext ctx)
    {
        if (ctx.Scope == EntityScope.Route)
        {
            return null;
        }

        var f = ctx.Features;
        var notFound = f[F.Ratio404] * f[F.Requests1m];
        if (f[F.Sensitive10m] >= options.SensitivePaths10m)
        {
            return RuleHits.Create(Name, AlertTypes.Scanning, ref ctx, options,
                EvidenceBuilder.Build(ref ctx, "10m", Shown, new Dictionary<string, double> { ["sensitive_path_hits_10m"] = options.SensitivePaths10m },
                    $"{RuleHits.Describe(ref ctx)} asked for {f[F.Sensitive10m]:0} well-known sensitive paths within 10 minutes (threshold {options.SensitivePaths10m}), latest {ctx.Event.Path}."),
                f[F.Sensitive10m] / options.SensitivePaths10m, $"Scanning by {RuleHits.Describe(ref ctx)}");
        }

        if (notFound >= options.NotFound1m && f[F.Ratio404] >= options.NotFoundShare)
        {
            return RuleHits.Create(Name, AlertTypes.Scanning, ref ctx, options,
                EvidenceBuilder.Build(ref ctx, "1m", Shown, new Dictionary<string, double>
                {
                    ["not_found_1m"] = options.NotFound1m,
                    ["ratio_404_1m"] = options.NotFoundShare,
                }, $"{RuleHits.Describe(ref ctx)} received {notFound:0} 404s within 1 minute, {f[F.Ratio404]:P0} of its requests (thresholds {options.NotFound1m} and {options.NotFoundShare:P0})."),
                notFound / options.NotFound1m, $"Scanning by {RuleHits.Describe(ref ctx)}");
        }

        return null;
    }
}
