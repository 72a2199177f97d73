using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Alerts.Jobs;

/// <summary>Creates jobs from this host's container (not Hangfire's global activator, which another service in the process may own).</summary>
internal sealed class ServiceProviderJobActivator(IServiceProvider services) : JobActivator
{
    public override object ActivateJob(Type jobType) => services.GetRequiredService(jobType);
}
