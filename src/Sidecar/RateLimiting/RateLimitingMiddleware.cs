using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Analytics.Messaging;
using Analytics.Sidecar.Auth;
using Analytics.Sidecar.Enforcement;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.Routes;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.RateLimiting;

/// <summary>
/// Step 5: the global concurrency cap, the route's policy per partition (principal, else client
/// IP), and any throttle decision on that partition. 429 with Retry-After and the IETF
/// RateLimit-Policy/RateLimit headers; the headers also go on allowed responses.
/// </summary>
internal sealed class RateLimitingMiddleware : IDisposable
{
    private readonly RequestDelegate _next;
    private readonly IRouteOptionsProvider _routes;
    private readonly Dictionary<string, RateLimitPolicy> _policies;
    private readonly int _globalLimit;
    private int _inFlight;
    private readonly ThrottleLimiters _throttles = new();

    public RateLimitingMiddleware(RequestDelegate next, IRouteOptionsProvider routes, IOptions<SidecarRateLimitingOptions> options)
    {
        _next = next;
        _routes = routes;
        _policies = options.Value.Policies.ToDictionary(p => p.Key, p => new RateLimitPolicy(p.Key, p.Value), StringComparer.OrdinalIgnoreCase);
        _globalLimit = options.Value.GlobalConcurrencyLimit;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (_globalLimit <= 0)
        {
            await LimitAsync(context);
            return;
        }

        // The global cap is a plain counter: every request passes here, and a queue-less
        // concurrency limit needs no lock or lease object.
        if (Interlocked.Increment(ref _inFlight) > _globalLimit)
        {
            Interlocked.Decrement(ref _inFlight);
            RequestTelemetry.For(context).RateLimit = GlobalRejected;
            context.Response.Headers.RetryAfter = "1";
            await ProblemResponses.RejectAsync(context, StatusCodes.Status429TooManyRequests, RejectionReasons.RateLimit, "Too Many Requests", "The service is at capacity; retry shortly.");
            return;
        }

        try
        {
            await LimitAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static readonly RateLimitInfo GlobalRejected = new("rejected", "global");

    private async Task LimitAsync(HttpContext context)
    {
        var telemetry = RequestTelemetry.For(context);
        var partition = Partition(context);
        var state = context.Features.Get<EnforcementState>();
        if (state?.Throttle is { } throttle && !state.Allowlisted)
        {
            var throttlePolicy = _throttles.For(throttle.Rate ?? 1);
            using var throttleLease = throttlePolicy.Acquire(partition);
            if (!throttleLease.IsAcquired)
            {
                telemetry.DecisionId = throttle.Id;
                await RejectAsync(context, telemetry, throttlePolicy, partition, throttleLease);
                return;
            }
        }

        var policyName = telemetry.RouteId is { } routeId ? _routes.Get(routeId).RateLimitPolicy : null;
        if (policyName is null || !_policies.TryGetValue(policyName, out var policy))
        {
            telemetry.RateLimit = RateLimitInfo.NoPolicy;
            await _next(context);
            return;
        }

        using var lease = policy.Acquire(partition);
        if (!lease.IsAcquired)
        {
            await RejectAsync(context, telemetry, policy, partition, lease);
            return;
        }

        telemetry.RateLimit = policy.Allowed;
        var headers = context.Response.Headers;
        headers["RateLimit-Policy"] = policy.PolicyHeader;
        headers["RateLimit"] = $"\"{policy.Name}\";r={policy.Remaining(partition).ToString(CultureInfo.InvariantCulture)};t={policy.WindowSeconds.ToString(CultureInfo.InvariantCulture)}";
        await _next(context);
    }

    private static Task RejectAsync(HttpContext context, RequestTelemetry telemetry, RateLimitPolicy policy, string partition, RateLimitLease lease)
    {
        telemetry.RateLimit = policy.Rejected;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
            : policy.WindowSeconds;
        var headers = context.Response.Headers;
        headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Policy"] = policy.PolicyHeader;
        headers["RateLimit"] = $"\"{policy.Name}\";r={policy.Remaining(partition).ToString(CultureInfo.InvariantCulture)};t={retryAfter.ToString(CultureInfo.InvariantCulture)}";
        return ProblemResponses.RejectAsync(context, StatusCodes.Status429TooManyRequests, RejectionReasons.RateLimit, "Too Many Requests", "Rate limit exceeded; see the Retry-After header.");
    }

    /// <summary>The partition: the authenticated principal, else the client IP.</summary>
    private static string Partition(HttpContext context)
    {
        if (context.Features.Get<Caller>() is { } caller)
        {
            return caller.PartitionKey;
        }

        var ip = context.Connection.RemoteIpAddress ?? IPAddress.None;
        return "ip:" + (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip);
    }

    public void Dispose()
    {
        foreach (var policy in _policies.Values)
        {
            policy.Dispose();
        }

        _throttles.Dispose();
    }

    /// <summary>One token-bucket policy per distinct throttle rate, shared by every partition throttled at that rate.</summary>
    private sealed class ThrottleLimiters : IDisposable
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, RateLimitPolicy> _byRate = new();

        public RateLimitPolicy For(double rate) =>
            _byRate.GetOrAdd(Math.Max(1, (int)Math.Floor(rate)), r => RateLimitPolicy.ForThrottle(r));

        public void Dispose()
        {
            foreach (var policy in _byRate.Values)
            {
                policy.Dispose();
            }
        }
    }
}
