using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.RateLimiting;

/// <summary>
/// The named policies of <c>Sidecar:RateLimiting:Policies</c>, made real once, and one
/// token-bucket policy per distinct throttle rate, shared by every partition throttled at it.
/// Compiled route policies hold their policy object, so a request never looks a name up.
/// </summary>
internal sealed class RateLimitPolicies : IDisposable
{
    private readonly Dictionary<string, RateLimitPolicy> _named;
    private readonly ConcurrentDictionary<int, RateLimitPolicy> _throttles = new();

    public RateLimitPolicies(IOptions<SidecarRateLimitingOptions> options)
    {
        _named = options.Value.Policies.ToDictionary(p => p.Key, p => new RateLimitPolicy(p.Key, p.Value), StringComparer.OrdinalIgnoreCase);
        GlobalConcurrencyLimit = options.Value.GlobalConcurrencyLimit;
    }

    /// <summary>Requests in flight at once across all clients; 0 means no cap.</summary>
    public int GlobalConcurrencyLimit { get; }

    public RateLimitPolicy? Get(string? name) => name is not null && _named.TryGetValue(name, out var policy) ? policy : null;

    public RateLimitPolicy Throttle(double rate) =>
        _throttles.GetOrAdd(Math.Max(1, (int)Math.Floor(rate)), static r => RateLimitPolicy.ForThrottle(r));

    public void Dispose()
    {
        foreach (var policy in _named.Values)
        {
            policy.Dispose();
        }

        foreach (var policy in _throttles.Values)
        {
            policy.Dispose();
        }
    }
}
