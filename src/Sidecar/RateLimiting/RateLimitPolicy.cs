using System.Threading.RateLimiting;

namespace Analytics.Sidecar.RateLimiting;

/// <summary>A named policy made real: a partitioned limiter plus the values its RateLimit headers announce.</summary>
internal sealed class RateLimitPolicy : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public RateLimitPolicy(string name, RateLimitPolicyOptions options)
    {
        Name = name;
        Quota = options.PermitLimit;
        WindowSeconds = Math.Max(1, (int)Math.Ceiling(options.WindowSeconds));
        var window = TimeSpan.FromSeconds(options.WindowSeconds);
        _limiter = options.Kind.ToLowerInvariant() switch
        {
            "fixedwindow" => PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit, Window = window, QueueLimit = 0, AutoReplenishment = true,
            })),
            "slidingwindow" => PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit, Window = window, SegmentsPerWindow = options.SegmentsPerWindow, QueueLimit = 0, AutoReplenishment = true,
            })),
            "concurrency" => PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetConcurrencyLimiter(key, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = options.PermitLimit, QueueLimit = 0,
            })),
            _ => PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.PermitLimit, TokensPerPeriod = options.TokensPerPeriod, ReplenishmentPeriod = window, QueueLimit = 0, AutoReplenishment = true,
            })),
        };
    }

    /// <summary>A policy for a <c>throttle</c> decision: a token bucket refilled at the decided rate per second.</summary>
    public static RateLimitPolicy ForThrottle(double ratePerSecond)
    {
        var perSecond = Math.Max(1, (int)Math.Floor(ratePerSecond));
        return new RateLimitPolicy("throttle", new RateLimitPolicyOptions
        {
            Kind = "TokenBucket", PermitLimit = perSecond, TokensPerPeriod = perSecond, WindowSeconds = 1,
        });
    }

    public string Name { get; }

    /// <summary>The RateLimit-Policy header value, which never changes.</summary>
    public string PolicyHeader => _policyHeader ??= $"\"{Name}\";q={Quota.ToString(System.Globalization.CultureInfo.InvariantCulture)};w={WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    private string? _policyHeader;

    /// <summary>Telemetry outcomes for this policy, made once.</summary>
    public Analytics.Messaging.RateLimitInfo Allowed => _allowed ??= new("allowed", Name);

    public Analytics.Messaging.RateLimitInfo Rejected => _rejected ??= new("rejected", Name);

    private Analytics.Messaging.RateLimitInfo? _allowed;
    private Analytics.Messaging.RateLimitInfo? _rejected;

    /// <summary>Requests allowed per window (the <c>q</c> of RateLimit-Policy).</summary>
    public int Quota { get; }

    /// <summary>The window in whole seconds (the <c>w</c> of RateLimit-Policy).</summary>
    public int WindowSeconds { get; }

    public RateLimitLease Acquire(string partition) => _limiter.AttemptAcquire(partition);

    /// <summary>Permits left in a partition, for the <c>r</c> of the RateLimit header.</summary>
    public long Remaining(string partition) => _limiter.GetStatistics(partition)?.CurrentAvailablePermits ?? Quota;

    public void Dispose() => _limiter.Dispose();
}
