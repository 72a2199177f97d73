using Analytics.ServiceDefaults.Options;

namespace Analytics.Sidecar.RateLimiting;

/// <summary>Checks <c>Sidecar:RateLimiting</c>: every policy names a known kind.</summary>
internal static class RateLimitingOptionsValidator
{
    public static void Validate(SidecarRateLimitingOptions options, ValidationErrors errors)
    {
        foreach (var (name, policy) in options.Policies)
        {
            errors.AddIf(policy.Kind.ToLowerInvariant() is not ("tokenbucket" or "fixedwindow" or "slidingwindow" or "concurrency"),
                $"Policies:{name}:Kind", $"'{policy.Kind}' is not one of TokenBucket, FixedWindow, SlidingWindow, Concurrency");
        }
    }
}
