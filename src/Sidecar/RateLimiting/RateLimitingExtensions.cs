using Analytics.ServiceDefaults.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Analytics.Sidecar.RateLimiting;

/// <summary>Registration of rate limiting: options, the named policies, the limiter step.</summary>
internal static class RateLimitingExtensions
{
    public static IServiceCollection AddSidecarRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SidecarRateLimitingOptions>(configuration, SidecarRateLimitingOptions.Section)
            .ValidateWith<SidecarRateLimitingOptions>(SidecarRateLimitingOptions.Section, RateLimitingOptionsValidator.Validate);
        services.TryAddSingleton<RateLimitPolicies>();
        services.AddSingleton<RateLimitingMetrics>();
        services.AddSingleton<RequestRateLimiter>();
        return services;
    }
}
