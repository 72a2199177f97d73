using System.ComponentModel.DataAnnotations;

namespace Analytics.Sidecar.RateLimiting;

/// <summary>Named rate limit policies that routes refer to, and the global concurrency cap (<c>Sidecar:RateLimiting</c>).</summary>
public sealed class SidecarRateLimitingOptions
{
    public const string Section = "Sidecar:RateLimiting";

    /// <summary>Requests in flight through the proxy at once, across all clients; 0 turns the cap off.</summary>
    [Range(0, 1_000_000)]
    public int GlobalConcurrencyLimit { get; set; } = 4096;

    public Dictionary<string, RateLimitPolicyOptions> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One policy, applied per partition (API key id or JWT subject, else client IP).</summary>
public sealed class RateLimitPolicyOptions
{
    /// <summary><c>TokenBucket</c>, <c>FixedWindow</c>, <c>SlidingWindow</c> or <c>Concurrency</c>.</summary>
    public string Kind { get; set; } = "TokenBucket";

    /// <summary>Bucket size, requests per window, or concurrent requests.</summary>
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 100;

    /// <summary>Window length (fixed and sliding windows) or replenishment period (token bucket).</summary>
    [Range(0.001, 86_400)]
    public double WindowSeconds { get; set; } = 1;

    /// <summary>Tokens added each period (token bucket).</summary>
    [Range(1, int.MaxValue)]
    public int TokensPerPeriod { get; set; } = 100;

    /// <summary>Segments per window (sliding window).</summary>
    [Range(1, 1000)]
    public int SegmentsPerWindow { get; set; } = 10;
}
