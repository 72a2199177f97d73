using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection.Rules;

/// <summary>Brute force settings (<c>Analyzer:Rules:BruteForce</c>).</summary>
public sealed class BruteForceOptions : RuleOptions
{
    public BruteForceOptions() => Scopes = "ip,login";

    /// <summary>Authentication failures from one IP within one minute that trigger a block.</summary>
    public int Failures1m { get; set; } = 10;

    /// <summary>Low and slow: failures within ten minutes...</summary>
    public int Failures10m { get; set; } = 30;

    /// <summary>...when at least this share of the IP's logins in those ten minutes failed (a NAT's users mostly succeed).</summary>
    public double FailureShare10m { get; set; } = 0.8;

    /// <summary>Lower and slower: failures within the hour horizon (decayed, time constant one hour)...</summary>
    public int Failures1h { get; set; } = 15;

    /// <summary>...or within the day horizon...</summary>
    public int Failures24h { get; set; } = 40;

    /// <summary>...when at least this share of the IP's logins over that horizon failed (a person who mistypes logs in in the end).</summary>
    public double FailureShareHorizon { get; set; } = 0.9;

    /// <summary>One account attacked from many addresses: failures on one login target within the hour...</summary>
    public int TargetFailures1h { get; set; } = 20;

    /// <summary>...from at least this many addresses (an alert: a login target cannot be blocked, its attackers are judged as clients).</summary>
    public int TargetSources1h { get; set; } = 8;

    /// <summary>The hour and day horizons judge only clients seen for at least this long: faster attacks are the one- and ten-minute windows' call.</summary>
    public TimeSpan HorizonMinHistory { get; set; } = TimeSpan.FromMinutes(8);
}

/// <summary>Many authentication failures (or 401s on a login route) from one client IP.</summary>
internal sealed class BruteForceRule(BruteForceOptions options) : IDetector
{
    public string AlertType => AlertTypes.BruteForce;

    public int ScopeMask { get; } = ScopeMasks.Parse(options.Scopes);

    private static readonly int[] Shown = [F.AuthFailures1m, F.LoginSuccesses1m, F.DistinctFailedLogins1m, F.Requests1m];
    private static readonly int[] ShownSlow = [F.AuthFailures10m, F.LoginSuccesses10m, F.DistinctFailedLogins10m, F.Requests10m];
    private static readonly int[] ShownHour = [F.AuthFailures1h, F.LoginSuccesses1h, F.AuthFailures10m, F.Requests1h];
    private static readonly int[] ShownDay = [F.AuthFailures24h, F.LoginSuccesses24h, F.AuthFailures1h];
    private static readonly int[] ShownTarget = [F.AuthFailures1h, F.LoginSuccesses1h, F.DistinctSources1h, F.DistinctSources1m];

    public string Name => "brute_force";

    public DetectorHit? Evaluate(ref DetectionContext ctx)
    {
        if (ctx.Scope == EntityScope.LoginTarget)
        {
            return TargetUnderAttack(ref ctx);
        }

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

        if (ctx.State.LastTicks - ctx.State.FirstTicks < options.HorizonMinHistory.Ticks)
        {
            return null;
        }

        var hour = f[F.AuthFailures1h];
        var hourShare = hour / Math.Max(1, hour + f[F.LoginSuccesses1h]);
        if (hour >= options.Failures1h && hourShare >= options.FailureShareHorizon)
        {
            var evidence = EvidenceBuilder.Build(ref ctx, "1h", ShownHour,
                new Dictionary<string, double> { ["auth_failures_1h"] = options.Failures1h, ["failure_share_1h"] = options.FailureShareHorizon },
                $"{hour:0.#} authentication failures from {ctx.State.Key} over the hour horizon, {hourShare:P0} of its logins (thresholds {options.Failures1h} and {options.FailureShareHorizon:P0}): a low-and-slow brute force.");
            return Hit(ref ctx, evidence, hour / options.Failures1h);
        }

        var day = f[F.AuthFailures24h];
        var dayShare = day / Math.Max(1, day + f[F.LoginSuccesses24h]);
        if (day >= options.Failures24h && dayShare >= options.FailureShareHorizon)
        {
            var evidence = EvidenceBuilder.Build(ref ctx, "24h", ShownDay,
                new Dictionary<string, double> { ["auth_failures_24h"] = options.Failures24h, ["failure_share_24h"] = options.FailureShareHorizon },
                $"{day:0.#} authentication failures from {ctx.State.Key} over the day horizon, {dayShare:P0} of its logins (thresholds {options.Failures24h} and {options.FailureShareHorizon:P0}): a brute force spread over the day.");
            return Hit(ref ctx, evidence, day / options.Failures24h);
        }

        return null;
    }

    private DetectorHit? TargetUnderAttack(ref DetectionContext ctx)
    {
        var f = ctx.Features;
        var fails = f[F.AuthFailures1h];
        var share = fails / Math.Max(1, fails + f[F.LoginSuccesses1h]);
        if (fails < options.TargetFailures1h || f[F.DistinctSources1h] < options.TargetSources1h || share < options.FailureShareHorizon)
        {
            return null;
        }

        var evidence = EvidenceBuilder.Build(ref ctx, "1h", ShownTarget, new Dictionary<string, double>
        {
            ["auth_failures_1h"] = options.TargetFailures1h,
            ["distinct_sources_1h"] = options.TargetSources1h,
            ["failure_share_1h"] = options.FailureShareHorizon,
        }, $"One login identifier (keyed hash {ctx.State.Key}) failed {fails:0.#} times from {f[F.DistinctSources1h]:0} addresses over the hour horizon, {share:P0} of its logins: a distributed brute force on one account.");
        return RuleHits.Create(Name, AlertTypes.BruteForce, ref ctx, options, evidence, fails / options.TargetFailures1h,
            "Distributed brute force on one account", alertOnly: true);
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
