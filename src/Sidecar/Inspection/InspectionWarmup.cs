using Analytics.Inspection;
using Analytics.Sidecar.Inspection.OpenApi;
using Microsoft.Extensions.Hosting;

namespace Analytics.Sidecar.Inspection;

/// <summary>
/// Loads the model and the OpenAPI documents when the host starts, so a missing or invalid
/// document stops start-up with its config key instead of failing the first request.
/// </summary>
internal sealed class InspectionWarmup(InspectionEngineHolder engine, OpenApiRegistry documents) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(engine.Engine);
        GC.KeepAlive(documents);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
