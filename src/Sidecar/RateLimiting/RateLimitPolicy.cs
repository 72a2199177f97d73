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
        // The partitioned limiter replenishes its partitions from one timer of its own, so each
        // partition's limiter is made with AutoReplenishment off, as RateLimitPartition's
        // Get*Limiter helpers do. Those helpers wrap the factory in a new closure on every call,
        // and the partitioner runs on every acquisition: one factory made here keeps an
        // acquisition allocation-free.
        Func<string, RateLimiter> create = options.Kind.ToLowerInvariant() switch
        {
            "fixedwindow" => Factory(new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit, Window = window, QueueLimit = 0, AutoReplenishment = false,
            }, static o => new FixedWindowRateLimiter(o)),
            "slidingwindow" => Factory(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit, Window = window, SegmentsPerWindow = options.SegmentsPerWindow, QueueLimit = 0, AutoReplenishment = false,
            }, static o => new SlidingWindowRateLimiter(o)),
            "concurrency" => Factory(new ConcurrencyLimiterOptions
            {
                PermitLimit = options.PermitLimit, QueueLimit = 0,
            }, static o => new ConcurrencyLimiter(o)),
            _ => Factory(new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.PermitLimit, TokensPerPeriod = options.TokensPerPeriod, ReplenishmentPeriod = window, QueueLimit = 0, AutoReplenishment = false,
            }, static o => new TokenBucketRateLimiter(o)),
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(key => new RateLimitPartition<string>(key, create));
    }

    private static Func<string, RateLimiter> Factory<TOptions>(TOptions options, Func<TOptions, RateLimiter> make) => _ => make(options);

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
