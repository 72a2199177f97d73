using System.Diagnostics.Metrics;
using Analytics.ServiceDefaults.Telemetry;

namespace Analytics.Sidecar.RateLimiting;

/// <summary>
/// Rate limiting (meter <c>Analytics.Sidecar.RateLimiting</c>): the requests it refused with 429, by
/// kind (a route's policy, the global concurrency cap, a throttle decision) and policy name.
/// Counted only on refusal; <c>GET /stats</c> reads the same counts. (The failed-authentication
/// limiter's refusals are the Auth meter's.)
/// </summary>
internal sealed class RateLimitingMetrics
{
    public const string MeterName = "Analytics.Sidecar.RateLimiting";

    /// <summary>The <c>kind</c> tag.</summary>
    public const string Route = "route";
    public const string Global = "global";
    public const string Throttle = "throttle";

    private readonly TaggedCounts _refusals;
    private readonly TaggedCount _global;
    private readonly TaggedCount _throttle;

    public RateLimitingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _refusals = new TaggedCounts(meter, "analytics.sidecar.ratelimit.refusals", "{request}",
            "Requests refused with 429, by kind (route, global, throttle) and policy", "kind", "policy");
        _global = _refusals.For(Global, Global);
        _throttle = _refusals.For(Throttle, Throttle);
    }

    /// <summary>Refusals since start, by kind (every kind listed, zeros included, so a script sees the same keys each time).</summary>
    public Dictionary<string, long> ByKind()
    {
        var counts = _refusals.SumBy("kind");
        counts.TryAdd(Route, 0);
        return counts;
    }

    /// <summary>A route's policy refused the request.</summary>
    public void RouteRefused(string policy) => _refusals.Add(1, Route, policy);

    /// <summary>The global concurrency cap refused the request.</summary>
    public void GlobalRefused() => _global.Increment();

    /// <summary>A throttle decision on the partition refused the request.</summary>
    public void ThrottleRefused() => _throttle.Increment();
}
