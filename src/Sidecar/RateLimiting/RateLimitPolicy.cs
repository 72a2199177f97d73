using System.Threading.RateLimiting;

namespace Analytics.Sidecar.RateLimiting;

/// <summary>A named policy made real: a partitioned limiter plus the values its RateLimit headers announce.</summary>
internal sealed class RateLimitPolicy : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly string _window;

    public RateLimitPolicy(string name, RateLimitPolicyOptions options)
    {
        Name = name;
        Quota = options.PermitLimit;
        WindowSeconds = Math.Max(1, (int)Math.Ceiling(options.WindowSeconds));
        _window = WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var window = TimeSpan.FromSeconds(options.WindowSeconds);
        // The partitioner runs on every acquisition: each factory below is one delegate made here,
        // so asking for a partition allocates nothing.
        _limiter = options.Kind.ToLowerInvariant() switch
        {
            "fixedwindow" => Partitioned(new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit, Window = window, QueueLimit = 0, AutoReplenishment = true,
            }, RateLimitPartition.GetFixedWindowLimiter),
            "slidingwindow" => Partitioned(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit, Window = window, SegmentsPerWindow = options.SegmentsPerWindow, QueueLimit = 0, AutoReplenishment = true,
            }, RateLimitPartition.GetSlidingWindowLimiter),
            "concurrency" => Partitioned(new ConcurrencyLimiterOptions
            {
                PermitLimit = options.PermitLimit, QueueLimit = 0,
            }, RateLimitPartition.GetConcurrencyLimiter),
            _ => Partitioned(new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.PermitLimit, TokensPerPeriod = options.TokensPerPeriod, ReplenishmentPeriod = window, QueueLimit = 0, AutoReplenishment = true,
            }, RateLimitPartition.GetTokenBucketLimiter),
        };
    }

    private static PartitionedRateLimiter<string> Partitioned<TOptions>(TOptions options, Func<string, Func<string, TOptions>, RateLimitPartition<string>> partition)
    {
        Func<string, TOptions> factory = _ => options;
        return PartitionedRateLimiter.Create<string, string>(key => partition(key, factory));
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

    public RateLimitLease Acquire(string partition) => AttemptAcquire(partition, 1);

    /// <summary>Asks whether the partition has a permit left without taking one; a refusal carries Retry-After (windows and buckets).</summary>
    public RateLimitLease Probe(string partition) => AttemptAcquire(partition, 0);

    private RateLimitLease AttemptAcquire(string partition, int permits)
    {
        try
        {
            return _limiter.AttemptAcquire(partition, permits);
        }
        catch (ObjectDisposedException)
        {
            // The partitioned limiter's timer disposes a partition idle for 10 s (a full bucket
            // counts as idle) after removing it, and can do so between our lookup and our
            // acquire (dotnet/runtime#99865). Asking again creates the partition afresh; a
            // request must not become a 500 because its partition was tidied away.
            return _limiter.AttemptAcquire(partition, permits);
        }
    }

    /// <summary>Permits left in a partition, for the <c>r</c> of the RateLimit header.</summary>
    public long Remaining(string partition) => _limiter.GetStatistics(partition)?.CurrentAvailablePermits ?? Quota;

    /// <summary>The RateLimit header of an allowed request: permits left in the partition and the window.</summary>
    public string RemainingHeader(string partition) =>
        $"\"{Name}\";r={Remaining(partition).ToString(System.Globalization.CultureInfo.InvariantCulture)};t={_window}";

    public void Dispose() => _limiter.Dispose();
}
