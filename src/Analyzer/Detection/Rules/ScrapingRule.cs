using Analytics.Analyzer.Features;
using Analytics.Messaging;

namespace Analytics.Analyzer.Detection.Rules;

/// <summary>Scraping settings (<c>Analyzer:Rules:Scraping</c>).</summary>
public sealed class ScrapingOptions : RuleOptions
{
    /// <summary>Distinct paths (or resource ids) within one minute.</summary>
    public int DistinctPaths1m { get; set; } = 100;

    /// <summary>At most this share of errors: a scraper reads what exists.</summary>
    public double MaxErrorShare { get; set; } = 0.2;

    /// <summary>Coefficient of variation of the gaps between requests at most this: machine-regular timing. People and NATs are near 1.</summary>
    public double MaxInterArrivalCv { get; set; } = 0.5;

    public ScrapingOptions() => Action = "throttle";
}

/// <summary>High distinct-path rate with few errors and machine-regular timing.</summary>
internal sealed class ScrapingRule(ScrapingOptions options) : IDetector
{
    public string AlertType => AlertTypes.Scraping;

    public int ScopeMask { get; } = ScopeMasks.Parse(options.Scopes);

    private static readonly int[] Shown = [F.DistinctPaths1m, F.DistinctIds1m, F.InterArrivalCv, F.Ratio2xx, F.Requests1m];

    public string Name => "scraping";

    public DetectorHit? Evaluate(ref DetectionContext ctx)
    {
        if (ctx.Scope is EntityScope.Route or EntityScope.Subject)
        {
            return null;
        }

        var f = ctx.Features;
        var distinct = Math.Max(f[F.DistinctPaths1m], f[F.DistinctIds1m]);
        if (distinct < options.DistinctPaths1m || f[F.InterArrivalCv] > options.MaxInterArrivalCv)
        {
            return null;
        }

        var errors = 1 - f[F.Ratio2xx];
        if (errors > options.MaxErrorShare)
        {
            return null;
        }

        return RuleHits.Create(Name, AlertTypes.Scraping, ref ctx, options,
            EvidenceBuilder.Build(ref ctx, "1m", Shown, new Dictionary<string, double>
            {
                ["distinct_paths_1m"] = options.DistinctPaths1m,
                ["error_share_1m"] = options.MaxErrorShare,
                ["inter_arrival_cv"] = options.MaxInterArrivalCv,
            }, $"{RuleHits.Describe(ref ctx)} fetched {distinct:0} distinct paths within 1 minute (threshold {options.DistinctPaths1m}) with {errors:P0} errors and machine-regular timing (gap CV {f[F.InterArrivalCv]:0.00} ≤ {options.MaxInterArrivalCv})."),
            distinct / options.DistinctPaths1m, $"Scraping by {RuleHits.Describe(ref ctx)}");
    }
}
