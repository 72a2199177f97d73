using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Analytics.ServiceDefaults.Telemetry;

/// <summary>
/// Makes ASP.NET Core create its request activity even when nothing records spans, so every
/// request continues the caller's W3C <c>traceparent</c> (or starts a trace), the proxy passes
/// it upstream and telemetry can name the trace id. Propagation only: nothing is recorded.
/// </summary>
internal sealed class TraceContextListener : IHostedService, IDisposable
{
    private ActivityListener? _listener;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener?.Dispose();
}
