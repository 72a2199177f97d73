using System.Globalization;
using System.Threading.RateLimiting;
using Analytics.Messaging;
using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.Routes;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.RateLimiting;

/// <summary>
/// Step 5: the global concurrency cap, any throttle decision on the partition, and the route's
/// policy per partition (principal, else the client's aggregation key). 429 with Retry-After
/// and the IETF RateLimit-Policy/RateLimit headers; the headers also go on allowed responses.
/// </summary>
internal sealed class RequestRateLimiter(RateLimitPolicies policies, RateLimitingMetrics metrics)
{
    private static readonly RateLimitInfo GlobalRejected = new("rejected", "global");
    private readonly int _globalLimit = policies.GlobalConcurrencyLimit;
    private int _inFlight;

    /// <summary>Null when the request may go on; otherwise the 429 being written.</summary>
    public Task? Acquire(HttpContext context, RequestContext request, RoutePolicy route)
    {
        // The global cap is a plain counter: every request passes here, and a queue-less
        // concurrency limit needs no lock or lease object. Released by Release when the request completes.
        if (_globalLimit > 0)
        {
            if (Interlocked.Increment(ref _inFlight) > _globalLimit)
            {
                Interlocked.Decrement(ref _inFlight);
                metrics.GlobalRefused();
                request.RateLimit = GlobalRejected;
                context.Response.Headers.RetryAfter = "1";
                return ProblemResponses.RejectAsync(context, StatusCodes.Status429TooManyRequests, RejectionReasons.RateLimit, "Too Many Requests", "The service is at capacity; retry shortly.");
            }

            request.HoldsGlobalSlot = true;
        }

        if (request.Throttle is { } throttle)
        {
            var throttlePolicy = policies.Throttle(throttle.Rate ?? 1);
            var partition = Partition(request);
            using var throttleLease = throttlePolicy.Acquire(partition);
            if (!throttleLease.IsAcquired)
            {
                request.DecisionId = throttle.Id;
                metrics.ThrottleRefused();
                return Reject(context, request, throttlePolicy, partition, throttleLease);
            }
        }

        if (route.RateLimit is not { } policy)
        {
            request.RateLimit = RateLimitInfo.NoPolicy;
            return null;
        }

        var key = Partition(request);
        var lease = policy.Acquire(key);
        if (!lease.IsAcquired)
        {
            metrics.RouteRefused(policy.Name);
            var rejected = Reject(context, request, policy, key, lease);
            lease.Dispose();
            return rejected;
        }

        // Token buckets and windows hand out leases with nothing to give back; a concurrency
        // policy's lease must live as long as the request.
        request.Lease = lease;
        request.RateLimit = policy.Allowed;
        var headers = context.Response.Headers;
        headers["RateLimit-Policy"] = policy.PolicyHeader;
        headers["RateLimit"] = policy.RemainingHeader(key);
        return null;
    }

    /// <summary>Gives back what <see cref="Acquire"/> took, when the request completes.</summary>
    public void Release(RequestContext request)
    {
        if (request.HoldsGlobalSlot)
        {
            request.HoldsGlobalSlot = false;
            Interlocked.Decrement(ref _inFlight);
        }

        request.Lease?.Dispose();
        request.Lease = null;
    }

    private static Task Reject(HttpContext context, RequestContext request, RateLimitPolicy policy, string partition, RateLimitLease lease)
    {
        request.RateLimit = policy.Rejected;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
            : policy.WindowSeconds;
        var headers = context.Response.Headers;
        headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Policy"] = policy.PolicyHeader;
        headers["RateLimit"] = $"\"{policy.Name}\";r={policy.Remaining(partition).ToString(CultureInfo.InvariantCulture)};t={retryAfter.ToString(CultureInfo.InvariantCulture)}";
        return ProblemResponses.RejectAsync(context, StatusCodes.Status429TooManyRequests, RejectionReasons.RateLimit, "Too Many Requests", "Rate limit exceeded; see the Retry-After header.");
    }

    /// <summary>The partition: the authenticated principal, else the client's aggregation key.</summary>
    private static string Partition(RequestContext request) =>
        request.Caller is { } caller ? caller.PartitionKey : "ip:" + request.AggregationKey;
}
