using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection.Rules;

/// <summary>Scraping settings (<c>Analyzer:Rules:Scraping</c>).</summary>
public sealed class ScrapingOptions : RuleOptions
{
    /// <summary>Distinct paths (or resource ids) within one minute.</summary>
    public int DistinctPaths1m { get; set; } = 100;

    /// <summary>At most this share of errors: a scraper reads what exists.</summary>
    public double MaxErrorShare { get; set; } = 0.2;

    /// <summary>Coefficient of variation of the gaps between requests at most this: machine-regular timing. People and NATs are near 1.</summary>
    public double MaxInterArrivalCv { get; set; } = 0.5;

    /// <summary>Slow: distinct paths over the last hour...</summary>
    public int DistinctPaths1h { get; set; } = 80;

    /// <summary>...at least this share of the hour's requests being distinct pages (people and NATs come back to the popular ones)...</summary>
    public double MinUniqueShare1h { get; set; } = 0.7;

    /// <summary>...from one user agent: at most this many agent changes over the hour horizon (a NAT's users bring many).</summary>
    public double MaxAgentChanges1h { get; set; } = 1;

    /// <summary>The hour horizon judges only clients seen for at least this long: fast scrapers are the minute window's call.</summary>
    public TimeSpan HorizonMinHistory { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rotation: distinct addresses of one range within one minute...</summary>
    public int RotationSources1m { get; set; } = 16;

    /// <summary>...each sending at most this many requests on average...</summary>
    public double RotationRequestsPerSource { get; set; } = 8;

    /// <summary>...together fetching at least this many distinct paths or ids...</summary>
    public int RotationDistinct1m { get; set; } = 30;

    /// <summary>...nearly all of them distinct...</summary>
    public double RotationUniqueShare { get; set; } = 0.75;

    /// <summary>...with at most this many distinct user agents in the range.</summary>
    public double RotationMaxAgents { get; set; } = 2.5;

    public ScrapingOptions()
    {
        Action = "throttle";
        Scopes = "ip,subject,cidr";
    }
}

/// <summary>High distinct-path rate with few errors and machine-regular timing.</summary>
internal sealed class ScrapingRule(ScrapingOptions options) : IDetector
{
    public string AlertType => AlertTypes.Scraping;

    public int ScopeMask { get; } = ScopeMasks.Parse(options.Scopes);

    private static readonly int[] Shown = [F.DistinctPaths1m, F.DistinctIds1m, F.InterArrivalCv, F.Ratio2xx, F.Requests1m];
    private static readonly int[] ShownSlow = [F.DistinctPaths1h, F.Requests1h, F.DistinctPaths1m, F.Ratio2xx, F.UaChanges1h];
    private static readonly int[] ShownRotation = [F.DistinctSources1m, F.Requests1m, F.DistinctIds1m, F.DistinctPaths1m, F.DistinctAgents1m, F.Ratio2xx];

    public string Name => "scraping";

    public DetectorHit? Evaluate(ref DetectionContext ctx)
    {
        if (ctx.Scope is EntityScope.Route or EntityScope.Subject)
        {
            return null;
        }

        var f = ctx.Features;
        if (ctx.Scope == EntityScope.Prefix)
        {
            return Rotation(ref ctx);
        }

        var distinct = Math.Max(f[F.DistinctPaths1m], f[F.DistinctIds1m]);
        if (distinct < options.DistinctPaths1m || f[F.InterArrivalCv] > options.MaxInterArrivalCv)
        {
            return Slow(ref ctx);
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

    /// <summary>A distinct page every few seconds for an hour: under the per-minute thresholds, but almost every page new, from one agent, without errors.</summary>
    private DetectorHit? Slow(ref DetectionContext ctx)
    {
        var f = ctx.Features;
        var distinct = f[F.DistinctPaths1h];
        if (distinct < options.DistinctPaths1h || ctx.State.LastTicks - ctx.State.FirstTicks < options.HorizonMinHistory.Ticks)
        {
            return null;
        }

        var unique = distinct / Math.Max(1, f[F.Requests1h]);
        var errors = 1 - f[F.Ratio2xx];
        if (unique < options.MinUniqueShare1h || errors > options.MaxErrorShare || f[F.UaChanges1h] > options.MaxAgentChanges1h)
        {
            return null;
        }

        return RuleHits.Create(Name, AlertTypes.Scraping, ref ctx, options,
            EvidenceBuilder.Build(ref ctx, "1h", ShownSlow, new Dictionary<string, double>
            {
                ["distinct_paths_1h"] = options.DistinctPaths1h,
                ["unique_share_1h"] = options.MinUniqueShare1h,
                ["error_share_1m"] = options.MaxErrorShare,
                ["user_agent_changes_1h"] = options.MaxAgentChanges1h,
            }, $"{RuleHits.Describe(ref ctx)} fetched {distinct:0} distinct paths over the last hour, {unique:P0} of its requests new (thresholds {options.DistinctPaths1h} and {options.MinUniqueShare1h:P0}), from one user agent with {errors:P0} errors: a slow scraper."),
            distinct / options.DistinctPaths1h, $"Slow scraping by {RuleHits.Describe(ref ctx)}");
    }

    /// <summary>Many addresses of one range, each with a few requests, together reading distinct pages: a scraper rotating its addresses.</summary>
    private DetectorHit? Rotation(ref DetectionContext ctx)
    {
        var f = ctx.Features;
        var sources = f[F.DistinctSources1m];
        var requests = f[F.Requests1m];
        var distinct = Math.Max(f[F.DistinctPaths1m], f[F.DistinctIds1m]);
        if (sources < options.RotationSources1m || requests / Math.Max(1, sources) > options.RotationRequestsPerSource
            || distinct < options.RotationDistinct1m || distinct / Math.Max(1, requests) < options.RotationUniqueShare
            || f[F.DistinctAgents1m] > options.RotationMaxAgents || 1 - f[F.Ratio2xx] > options.MaxErrorShare)
        {
            return null;
        }

        return RuleHits.Create(Name, AlertTypes.Scraping, ref ctx, options,
            EvidenceBuilder.Build(ref ctx, "1m", ShownRotation, new Dictionary<string, double>
            {
                ["distinct_sources_1m"] = options.RotationSources1m,
                ["requests_per_source_1m"] = options.RotationRequestsPerSource,
                ["distinct_paths_1m"] = options.RotationDistinct1m,
                ["unique_share_1m"] = options.RotationUniqueShare,
                ["distinct_user_agents_1m"] = options.RotationMaxAgents,
            }, $"{sources:0} addresses of range {ctx.State.Key} sent {requests:0} requests within 1 minute ({requests / Math.Max(1, sources):0.#} each, threshold {options.RotationRequestsPerSource}) for {distinct:0} distinct pages from {f[F.DistinctAgents1m]:0} user agent(s): a scraper rotating its addresses."),
            sources / options.RotationSources1m, $"Scraping from rotating addresses in {ctx.State.Key}");
    }
}
