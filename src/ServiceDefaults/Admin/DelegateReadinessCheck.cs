using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>A readiness check a feature states as a question about its own services.</summary>
internal sealed class DelegateReadinessCheck(IServiceProvider services, Func<IServiceProvider, bool> isReady) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(isReady(services) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
}
