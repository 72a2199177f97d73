using Analytics.ServiceDefaults.Options;
using Analytics.Sidecar.Inspection.OpenApi;
using Analytics.Sidecar.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Analytics.Sidecar.Routes;

/// <summary>Registration of the per-route policies: <c>Sidecar:Routes</c>, validated at start-up and on reload, and their compiled form.</summary>
internal static class RoutesExtensions
{
    public static IServiceCollection AddSidecarRoutes(this IServiceCollection services, IConfiguration configuration)
    {
        // Bound without a change-token source (unlike AddValidatedOptions): the options monitor
        // would otherwise re-validate on every reload and throw out of the reload callback.
        // RouteOptionsProvider reloads the section itself, refusing a change that fails validation.
        var section = configuration.GetSection(SidecarRoutesOptions.Section);
        services.AddOptions<SidecarRoutesOptions>()
            .Configure(routes => section.Bind(routes, o => o.ErrorOnUnknownConfiguration = true))
            .ValidateOnStart()
            .ValidateWith<SidecarRoutesOptions>(SidecarRoutesOptions.Section, (routes, errors) => RoutesOptionsValidator.Validate(routes, errors, configuration))
            .ValidateWith<SidecarRoutesOptions>("Sidecar", (_, errors) => RoutesOptionsValidator.ValidateDefault(errors, configuration));
        services.AddSingleton<IRouteOptionsProvider, RouteOptionsProvider>();
        return services.AddRoutePolicies();
    }

    /// <summary>The compiled policies over whatever <see cref="IRouteOptionsProvider"/> the host registered.</summary>
    public static IServiceCollection AddRoutePolicies(this IServiceCollection services)
    {
        services.TryAddSingleton<RateLimitPolicies>();
        services.TryAddSingleton<OpenApiRegistry>();
        services.TryAddSingleton<RoutePolicies>();
        return services;
    }
}
