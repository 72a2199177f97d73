using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.ServiceDefaults.Hosting;

/// <summary>
/// Keeps the host's own "Hosting failed to start" error (with its stack trace) out of the log:
/// the failure propagates to <see cref="ServiceRunner"/> or Standalone, which print one line
/// for a fixable failure and let anything else crash with its stack trace. After start-up the
/// host's errors (e.g. a faulted background service) are logged as usual.
/// </summary>
internal sealed class StartupLogFilter : IHostedLifecycleService
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
    private volatile bool _started;

    public static void AddTo(WebApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(StartupLogFilter)))
        {
            return;
        }

        var filter = new StartupLogFilter();
        builder.Services.AddSingleton(filter);
        builder.Services.AddSingleton<IHostedService>(filter);
        // The host itself logs little below Warning; what it logs after start-up passes unchanged.
        builder.Logging.AddFilter(HostCategory, level => level >= LogLevel.Warning && (filter._started || level < LogLevel.Error));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _started = true;
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
