using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Options;
using Analytics.Sidecar.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Enforcement;

/// <summary>
/// Registration of decision enforcement: options (<c>Sidecar:Decisions</c>), the validator, the
/// store, the gate, the stream feed that fills it (a readiness check), the sweeper, the enforcer step.
/// </summary>
internal static class EnforcementExtensions
{
    public static IServiceCollection AddSidecarEnforcement(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SidecarDecisionOptions>(configuration, SidecarDecisionOptions.Section)
            .ValidateWith<SidecarDecisionOptions>(SidecarDecisionOptions.Section, SidecarDecisionOptions.Validate);
        services.AddSingleton(sp => new DecisionValidator(sp.GetRequiredService<IOptions<SidecarDecisionOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new DecisionStore(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ProxyOptions>>().Value.Ipv6AggregationPrefix));
        services.AddSingleton<DecisionGate>();
        services.AddSingleton<EnforcementMetrics>();
        services.AddSingleton<DecisionEnforcer>();
        services.AddSingleton<DecisionFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionFeed>());
        services.AddHostedService<DecisionSweeper>();
        services.AddHealthChecks().AddCheck<DecisionFeed>("decisions", tags: [AdminListener.ReadyTag]);
        return services;
    }
}
