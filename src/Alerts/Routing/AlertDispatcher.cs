using Analytics.Alerts.Channels;
using Analytics.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Routing;

/// <summary>
/// Consumes the alerts stream and hands each alert to every channel that accepts it. The offset
/// is committed only after every channel delivered, so an outage delays alerts but loses none.
/// </summary>
internal sealed partial class AlertDispatcher(
    IStreamTransport transport,
    IEnumerable<IAlertChannel> channels,
    RecentAlerts recent,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<AlertDispatcher> logger) : BackgroundService
{
    private readonly IAlertChannel[] _channels = [.. channels];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeUntilFailureAsync(stoppingToken);
                // A channel gave up: what was not committed comes back through a fresh consumer.
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ConsumeUntilFailureAsync(CancellationToken stoppingToken)
    {
        using var consumer = transport.CreateGroupConsumer(Streams.Alerts, options.Value.ConsumerGroup);
        while (true)
        {
            var message = await consumer.ReadAsync(stoppingToken);
            if (message.Value is not { } alert)
            {
                consumer.Commit(message);
                continue;
            }

            if (!await DeliverAsync(alert, stoppingToken))
            {
                return;
            }

            recent.Add(alert);
            consumer.Commit(message);
        }
    }

    private async Task<bool> DeliverAsync(Alert alert, CancellationToken cancellationToken)
    {
        foreach (var channel in _channels)
        {
            if (!channel.Accepts(alert))
            {
                continue;
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await channel.SendAsync(alert, cancellationToken);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogDeliveryFailed(logger, channel.Name, alert.Id, attempt, ex.GetType().Name);
                    if (attempt >= options.Value.MaxAttempts)
                    {
                        return false;
                    }

                    var backoff = TimeSpan.FromMilliseconds(Math.Min(30_000, 200 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2));
                    await Task.Delay(backoff, time, cancellationToken);
                }
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Channel {Channel} failed to deliver alert {AlertId} (attempt {Attempt}): {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, string channel, string alertId, int attempt, string error);
}
