using Analytics.Alerts.Channels;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Jobs;

/// <summary>The Hangfire server that runs delivery jobs: one queue per enabled channel, on the alerts' own storage.</summary>
internal sealed partial class DeliveryServer(
    AlertJobStorage storage,
    DeliveryJobFilters filters,
    IEnumerable<IAlertChannel> channels,
    IServiceProvider services,
    IOptions<AlertsOptions> options,
    ILogger<DeliveryServer> logger) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var queues = channels.Where(c => c.Enabled).Select(c => DeliveryQueues.For(c.Name)).ToArray();
        if (queues.Length == 0)
        {
            return Task.CompletedTask;
        }

        var o = options.Value.Hangfire;
        _server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            Queues = queues,
            WorkerCount = o.WorkerCount,
            SchedulePollingInterval = o.PollInterval,
            FilterProvider = filters.Provider,
            Activator = new ServiceProviderJobActivator(services),
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        }, storage.Storage);
        LogStarted(logger, storage.Name, string.Join(", ", queues), o.WorkerCount);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Jobs in flight are cancelled and go back to their queue; scheduled retries stay stored.
        _server?.SendStop();
        return Task.Run(() => _server?.WaitForShutdown(TimeSpan.FromSeconds(15)), CancellationToken.None);
    }

    public void Dispose() => _server?.Dispose();

    [LoggerMessage(EventId = 3031, Level = LogLevel.Information, Message = "Alert delivery jobs on {Storage} storage, queues {Queues}, {Workers} workers")]
    private static partial void LogStarted(ILogger logger, string storage, string queues, int workers);
}
