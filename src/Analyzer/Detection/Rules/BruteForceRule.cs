using Analytics.Analyzer.Features;
using Analytics.Messaging;

namespace Analytics.Analyzer.Detection.Rules;

/// <summary>Brute force settings (<c>Analyzer:Rules:BruteForce</c>).</summary>
public sealed class BruteForceOptions : RuleOptions
{
    public BruteForceOptions() => Scopes = "ip";

    /// <summary>Authentication failures from one IP within one minute that trigger a block.</summary>
    public int Failures1m { get; set; } = 10;

    /// <summary>Low and slow: failures within ten minutes...</summary>
    public int Failures10m { get; set; } = 30;

    /// <summary>...when at least this share of the IP's logins in those ten minutes failed (a NAT's users mostly succeed).</summary>
    public double FailureShare10m { get; set; } = 0.8;
}

/// <summary>Many authentication failures (or 401s on a login route) from one client IP.</summary>
internal sealed class BruteForceRule(BruteForceOptions options) : IDetector
{
    public string AlertType => AlertTypes.BruteForce;

    public int ScopeMask { get; } = ScopeMasks.Parse(options.Scopes);

    private static readonly int[] Shown = [F.AuthFailures1m, F.LoginSuccesses1m, F.DistinctFailedLogins1m, F.Requests1m];
    private static readonly int[] ShownSlow = [F.AuthFailures10m, F.LoginSuccesses10m, F.DistinctFailedLogins10m, F.Requests10m];

    public string Name => "brute_force";

    public DetectorHit? Evaluate(ref DetectionContext ctx)
    {
        if (ctx.Scope != EntityScope.Ip)
        {
            return null;
        }

        var f = ctx.Features;
        if (f[F.AuthFailures1m] >= options.Failures1m)
        {
            var evidence = EvidenceBuilder.Build(ref ctx, "1m", Shown,
                new Dictionary<string, double> { ["auth_failures_1m"] = options.Failures1m },
                $"{f[F.AuthFailures1m]:0} authentication failures from {ctx.State.Key} within 1 minute (threshold {options.Failures1m}).");
            return Hit(ref ctx, evidence, f[F.AuthFailures1m] / options.Failures1m);
        }

        var fails = f[F.AuthFailures10m];
        var share = fails / Math.Max(1, fails + f[F.LoginSuccesses10m]);
        if (fails >= options.Failures10m && share >= options.FailureShare10m)
        {
            var evidence = EvidenceBuilder.Build(ref ctx, "10m", ShownSlow,
                new Dictionary<string, double> { ["auth_failures_10m"] = options.Failures10m, ["failure_share_10m"] = options.FailureShare10m },
                $"{fails:0} authentication failures from {ctx.State.Key} within 10 minutes, {share:P0} of its logins (thresholds {options.Failures10m} and {options.FailureShare10m:P0}): a slow brute force.");
            return Hit(ref ctx, evidence, fails / options.Failures10m);
        }

        return null;
    }

    private DetectorHit Hit(ref DetectionContext ctx, Evidence evidence, double score) => new()
    {
        Detector = Name,
        Source = "rule:" + Name,
        AlertType = AlertTypes.BruteForce,
        Scope = ctx.Scope,
        Value = ctx.State.Key,
        Rule = options,
        Evidence = evidence,
        Title = $"Brute force from {ctx.State.Key}",
        Score = Math.Round(score, 3),
    };
}
