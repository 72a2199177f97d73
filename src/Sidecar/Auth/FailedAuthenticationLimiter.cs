using System.Globalization;
using System.Threading.RateLimiting;
using Analytics.Messaging;
using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Auth;

/// <summary>
/// Throttles credential guessing inline: every 401 the sidecar answers costs the client one
/// permit of a fixed window keyed by its aggregation key (so rotating through an IPv6 /64 does
/// not reset it); a client with none left gets 429 before authentication is tried. The
/// analyzer still sees every attempt as telemetry and may decide a longer block.
/// </summary>
internal sealed class FailedAuthenticationLimiter : IDisposable
{
    private const string PolicyName = "failed_auth";
    private static readonly RateLimitInfo Rejected = new("rejected", PolicyName);
    private readonly RateLimitPolicy? _policy;
    private readonly AuthMetrics _metrics;

    public FailedAuthenticationLimiter(IOptions<SidecarAuthOptions> options, AuthMetrics metrics)
    {
        _metrics = metrics;
        var limit = options.Value.FailedAuthentication;
        if (limit.PermitLimit > 0)
        {
            _policy = new RateLimitPolicy(PolicyName, new RateLimitPolicyOptions
            {
                Kind = "FixedWindow", PermitLimit = limit.PermitLimit, WindowSeconds = limit.WindowSeconds,
            });
        }
    }

    /// <summary>Null when the client may try to authenticate; otherwise the 429 being written.</summary>
    public Task? Check(HttpContext context, RequestContext request)
    {
        if (_policy is null)
        {
            return null;
        }

        // Zero permits asks whether any are left without taking one; a refusal carries the window's Retry-After.
        using var probe = _policy.Probe(request.AggregationKey);
        if (probe.IsAcquired)
        {
            return null;
        }

        var retryAfter = probe.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
            : _policy.WindowSeconds;
        _metrics.LimiterRefused();
        request.RateLimit = Rejected;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return ProblemResponses.RejectAsync(context, StatusCodes.Status429TooManyRequests, RejectionReasons.RateLimit, "Too Many Requests",
            "Too many failed authentications from this client; see the Retry-After header.");
    }

    /// <summary>Counts a 401 the sidecar answered against the client.</summary>
    public void Failed(RequestContext request) => _policy?.Acquire(request.AggregationKey).Dispose();

    public void Dispose() => _policy?.Dispose();
}
