using Analytics.ServiceDefaults.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Sidecar.Enforcement;

/// <summary>Registration of decision enforcement: the store, the stream feed that fills it (a readiness check), the sweeper, the enforcer step.</summary>
internal static class EnforcementExtensions
{
    public static IServiceCollection AddSidecarEnforcement(this IServiceCollection services)
    {
        services.AddSingleton<DecisionStore>();
        services.AddSingleton<EnforcementMetrics>();
        services.AddSingleton<DecisionEnforcer>();
        services.AddSingleton<DecisionFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionFeed>());
        services.AddHostedService<DecisionSweeper>();
        services.AddHealthChecks().AddCheck<DecisionFeed>("decisions", tags: [AdminListener.ReadyTag]);
        return services;
    }
}
