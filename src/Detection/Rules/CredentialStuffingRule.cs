using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection.Rules;

/// <summary>Credential stuffing settings (<c>Analyzer:Rules:CredentialStuffing</c>).</summary>
public sealed class CredentialStuffingOptions : RuleOptions
{
    public CredentialStuffingOptions() => Scopes = "ip,route,cidr,fingerprint";

    /// <summary>Distinct login identifiers failing from one IP within one minute.</summary>
    public int DistinctIdentifiers1m { get; set; } = 6;

    /// <summary>Low and slow: distinct failing identifiers from one IP within ten minutes.</summary>
    public int DistinctIdentifiers10m { get; set; } = 20;

    /// <summary>Share of the IP's logins that failed, required for both windows (a NAT's users mostly succeed).</summary>
    public double FailureShare { get; set; } = 0.7;

    /// <summary>Distributed: distinct failing identifiers on one login route within one minute...</summary>
    public int RouteDistinctIdentifiers1m { get; set; } = 20;

    /// <summary>...from at least this many sources; then every IP with this many failures and no success in ten minutes is blocked.</summary>
    public int RouteDistinctSources1m { get; set; } = 10;

    public int ParticipantFailures10m { get; set; } = 3;

    /// <summary>Share of the route's logins that failed within the minute: a few times the normal typo rate, not a majority, since busy routes dilute an attack.</summary>
    public double RouteFailureShare { get; set; } = 0.25;

    /// <summary>From one address range (a botnet in a /24 or /64): distinct failing identifiers within ten minutes...</summary>
    public int RangeDistinctIdentifiers10m { get; set; } = 10;

    /// <summary>...from at least this many of the range's addresses within the hour...</summary>
    public int RangeDistinctSources1h { get; set; } = 4;

    /// <summary>...when at least this share of the range's logins within the hour failed (a university's users mostly succeed).</summary>
    public double RangeFailureShare1h { get; set; } = 0.8;

    /// <summary>From one client fingerprint (user agent and authentication) across addresses: distinct failing identifiers within ten minutes...</summary>
    public int FingerprintDistinctIdentifiers10m { get; set; } = 20;

    /// <summary>...from at least this many addresses within the hour, at <see cref="RangeFailureShare1h"/>; an alert, the addresses are judged as clients and ranges.</summary>
    public int FingerprintDistinctSources1h { get; set; } = 10;
}

/// <summary>Many identifiers tried from one source, or one login route tried by many sources with many identifiers.</summary>
internal sealed class CredentialStuffingRule(CredentialStuffingOptions options) : IDetector
{
    public string AlertType => AlertTypes.CredentialStuffing;

    public int ScopeMask { get; } = ScopeMasks.Parse(options.Scopes);

    private static readonly int[] Shown = [F.DistinctFailedLogins1m, F.AuthFailures1m, F.LoginSuccesses1m];
    private static readonly int[] ShownSlow = [F.DistinctFailedLogins10m, F.AuthFailures10m, F.LoginSuccesses10m];
    private static readonly int[] ShownRoute = [F.DistinctFailedLogins1m, F.DistinctSources1m, F.AuthFailures1m, F.LoginSuccesses1m];
    private static readonly int[] ShownAggregate = [F.DistinctFailedLogins10m, F.DistinctSources1h, F.AuthFailures1h, F.LoginSuccesses1h, F.AuthFailures10m];

    public string Name => "credential_stuffing";

    public DetectorHit? Evaluate(ref DetectionContext ctx)
    {
        var f = ctx.Features;
        if (ctx.Scope == EntityScope.Route)
        {
            return RouteUnderAttack(ctx.Features)
                ? RuleHits.Create(Name, AlertTypes.CredentialStuffing, ref ctx, options,
                    EvidenceBuilder.Build(ref ctx, "1m", ShownRoute, new Dictionary<string, double>
                    {
                        ["distinct_failed_logins_1m"] = options.RouteDistinctIdentifiers1m,
                        ["distinct_sources_1m"] = options.RouteDistinctSources1m,
                    }, $"Route {ctx.State.Key}: {f[F.DistinctFailedLogins1m]:0} distinct identifiers failed from {f[F.DistinctSources1m]:0} sources within 1 minute (thresholds {options.RouteDistinctIdentifiers1m} and {options.RouteDistinctSources1m}): distributed credential stuffing."),
                    f[F.DistinctFailedLogins1m] / options.RouteDistinctIdentifiers1m,
                    $"Distributed credential stuffing on {ctx.State.Key}", alertOnly: true)
                : null;
        }

        if (ctx.Scope is EntityScope.Prefix or EntityScope.Fingerprint)
        {
            return FromAggregate(ref ctx);
        }

        if (ctx.Scope != EntityScope.Ip)
        {
            return null;
        }

        var share1 = Share(f[F.AuthFailures1m], f[F.LoginSuccesses1m]);
        if (f[F.DistinctFailedLogins1m] >= options.DistinctIdentifiers1m && share1 >= options.FailureShare)
        {
            return RuleHits.Create(Name, AlertTypes.CredentialStuffing, ref ctx, options,
                EvidenceBuilder.Build(ref ctx, "1m", Shown, new Dictionary<string, double>
                {
                    ["distinct_failed_logins_1m"] = options.DistinctIdentifiers1m,
                    ["failure_share_1m"] = options.FailureShare,
                }, $"{f[F.DistinctFailedLogins1m]:0} distinct login identifiers failed from {ctx.State.Key} within 1 minute, {share1:P0} of its logins (thresholds {options.DistinctIdentifiers1m} and {options.FailureShare:P0})."),
                f[F.DistinctFailedLogins1m] / options.DistinctIdentifiers1m, $"Credential stuffing from {ctx.State.Key}");
        }

        var share10 = Share(f[F.AuthFailures10m], f[F.LoginSuccesses10m]);
        if (f[F.DistinctFailedLogins10m] >= options.DistinctIdentifiers10m && share10 >= options.FailureShare)
        {
            return RuleHits.Create(Name, AlertTypes.CredentialStuffing, ref ctx, options,
                EvidenceBuilder.Build(ref ctx, "10m", ShownSlow, new Dictionary<string, double>
                {
                    ["distinct_failed_logins_10m"] = options.DistinctIdentifiers10m,
                    ["failure_share_10m"] = options.FailureShare,
                }, $"{f[F.DistinctFailedLogins10m]:0} distinct login identifiers failed from {ctx.State.Key} within 10 minutes, {share10:P0} of its logins (thresholds {options.DistinctIdentifiers10m} and {options.FailureShare:P0}): slow credential stuffing."),
                f[F.DistinctFailedLogins10m] / options.DistinctIdentifiers10m, $"Credential stuffing from {ctx.State.Key}");
        }

        // A participant in a distributed attack: its own counts are small, so it is judged only
        // while its login route is under attack, and only if it never logged in successfully.
        if (ctx.Route is not null && f[F.AuthFailures10m] >= options.ParticipantFailures10m && f[F.LoginSuccesses10m] == 0
            && f[F.DistinctFailedLogins10m] >= 2 && RouteUnderAttack(ctx.RouteFeatures))
        {
            var values = new Dictionary<string, double>
            {
                ["auth_failures_10m"] = f[F.AuthFailures10m],
                ["login_successes_10m"] = f[F.LoginSuccesses10m],
                ["distinct_failed_logins_10m"] = Math.Round(f[F.DistinctFailedLogins10m], 3),
                ["route_distinct_failed_logins_1m"] = Math.Round(ctx.RouteFeatures[F.DistinctFailedLogins1m], 3),
                ["route_distinct_sources_1m"] = Math.Round(ctx.RouteFeatures[F.DistinctSources1m], 3),
            };
            var evidence = new Evidence
            {
                Window = "10m",
                WindowStart = ctx.State.LongWindowStart,
                WindowEnd = ctx.State.LastSeen,
                Features = values,
                Thresholds = new Dictionary<string, double>
                {
                    ["auth_failures_10m"] = options.ParticipantFailures10m,
                    ["login_successes_10m"] = 0,
                    ["route_distinct_failed_logins_1m"] = options.RouteDistinctIdentifiers1m,
                    ["route_distinct_sources_1m"] = options.RouteDistinctSources1m,
                },
                SampleRequestIds = [ctx.Event.RequestId],
                TraceId = ctx.Event.TraceId,
                Explanation = $"{ctx.State.Key} failed {f[F.AuthFailures10m]:0} logins with {f[F.DistinctFailedLogins10m]:0} identifiers and no success while {ctx.Route.Key} is under distributed credential stuffing.",
            };
            return RuleHits.Create(Name, AlertTypes.CredentialStuffing, ref ctx, options, evidence, 1, $"Credential stuffing participant {ctx.State.Key}");
        }

        return null;
    }

    /// <summary>Many identifiers failing from one range or one fingerprint, spread over addresses that each stay under the per-IP thresholds.</summary>
    private DetectorHit? FromAggregate(ref DetectionContext ctx)
    {
        var f = ctx.Features;
        var range = ctx.Scope == EntityScope.Prefix;
        var identifiers = range ? options.RangeDistinctIdentifiers10m : options.FingerprintDistinctIdentifiers10m;
        var sources = range ? options.RangeDistinctSources1h : options.FingerprintDistinctSources1h;
        var share = Share(f[F.AuthFailures1h], f[F.LoginSuccesses1h]);
        if (f[F.DistinctFailedLogins10m] < identifiers || f[F.DistinctSources1h] < sources || share < options.RangeFailureShare1h)
        {
            return null;
        }

        var what = range ? $"range {ctx.State.Key}" : $"fingerprint '{ctx.State.Key}'";
        var evidence = EvidenceBuilder.Build(ref ctx, "10m", ShownAggregate, new Dictionary<string, double>
        {
            ["distinct_failed_logins_10m"] = identifiers,
            ["distinct_sources_1h"] = sources,
            ["failure_share_1h"] = options.RangeFailureShare1h,
        }, $"{f[F.DistinctFailedLogins10m]:0} distinct login identifiers failed from {f[F.DistinctSources1h]:0} addresses of {what} within 10 minutes, {share:P0} of its logins over the hour (thresholds {identifiers}, {sources} and {options.RangeFailureShare1h:P0}): distributed credential stuffing.");
        return RuleHits.Create(Name, AlertTypes.CredentialStuffing, ref ctx, options, evidence, f[F.DistinctFailedLogins10m] / identifiers,
            $"Credential stuffing from {what}", alertOnly: !range);
    }

    private bool RouteUnderAttack(ReadOnlySpan<float> r) =>
        r.Length > 0
        && r[F.DistinctFailedLogins1m] >= options.RouteDistinctIdentifiers1m
        && r[F.DistinctSources1m] >= options.RouteDistinctSources1m
        && Share(r[F.AuthFailures1m], r[F.LoginSuccesses1m]) >= options.RouteFailureShare;

    private static float Share(float failures, float successes) => failures / Math.Max(1, failures + successes);
}
