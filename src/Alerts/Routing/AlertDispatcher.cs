using Analytics.Alerts.Channels;
using Analytics.Alerts.Jobs;
using Analytics.Alerts.Stats;
using Analytics.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Routing;

/// <summary>
/// Consumes the alerts stream, routes each alert (dedup, grouping, severity, caps) and turns
/// what is to be sent into one Hangfire job per channel. An offset is committed only after the
/// jobs for it are stored, so a crash redelivers the alert instead of losing it, and a channel
/// that is down delays only its own jobs, never the stream.
/// </summary>
internal sealed partial class AlertDispatcher(
    IStreamTransport transport,
    IEnumerable<IAlertChannel> channels,
    DeliveryEnqueuer enqueuer,
    RecentAlerts recent,
    AlertStats stats,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    [FromKeyedServices(AlertDispatcher.ConsumerKey)] ConsumerAssignment assignment,
    ILogger<AlertDispatcher> logger) : BackgroundService
{
    /// <summary>The key of this consumer's <see cref="ConsumerAssignment"/>, which gates readiness.</summary>
    public const string ConsumerKey = "alerts.dispatcher";

    private static readonly TimeSpan StorageRetryDelay = TimeSpan.FromSeconds(2);

    private readonly AlertRouter _router = new(
        options.Value.Routing,
        channels.Where(c => c.Enabled).Select(c => c.Route),
        stats,
        logger);

    // Notifications routed but not yet stored (job storage unreachable): retried before reading on.
    private readonly Queue<(Notification Notification, List<long> Released)> _unstored = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var tick = options.Value.Routing.TickInterval;
        using var consumer = transport.CreateGroupConsumer(Streams.Alerts, options.Value.ConsumerGroup, assignment.Track());
        var tracker = new OffsetTracker<Alert>();
        var nextTick = time.GetUtcNow() + tick;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!TryStoreBacklog(tracker))
                {
                    await Task.Delay(StorageRetryDelay, stoppingToken);
                    continue;
                }

                var message = await ReadAsync(consumer, tick, stoppingToken);
                if (message is not null)
                {
                    var ticket = tracker.Track(message);
                    if (message.Value is { } alert)
                    {
                        recent.Add(alert);
                        Apply(_router.Route(alert, ticket, time.GetUtcNow()), tracker);
                    }
                    else
                    {
                        tracker.Settle(ticket);
                    }
                }

                if (time.GetUtcNow() >= nextTick || message is null)
                {
                    Apply(_router.Tick(time.GetUtcNow()), tracker);
                    nextTick = time.GetUtcNow() + tick;
                }

                tracker.CommitSettled(consumer);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the next alert, or returns null after <paramref name="wait"/> so due groups and updates go out on time.</summary>
    private static async Task<StreamMessage<Alert>?> ReadAsync(IStreamConsumer<Alert> consumer, TimeSpan wait, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(wait);
        try
        {
            return await consumer.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void Apply(RouteResult result, OffsetTracker<Alert> tracker)
    {
        if (result.Notifications.Count == 0)
        {
            foreach (var ticket in result.Released)
            {
                tracker.Settle(ticket);
            }

            return;
        }

        // The released tickets settle with the last notification: their offsets wait until all are stored.
        for (var i = 0; i < result.Notifications.Count; i++)
        {
            _unstored.Enqueue((result.Notifications[i], i == result.Notifications.Count - 1 ? result.Released : []));
        }

        TryStoreBacklog(tracker);
    }

    private bool TryStoreBacklog(OffsetTracker<Alert> tracker)
    {
        while (_unstored.TryPeek(out var next))
        {
            try
            {
                enqueuer.Enqueue(next.Notification);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStorageFailed(logger, next.Notification.Id, ex.GetType().Name);
                return false;
            }

            _unstored.Dequeue();
            foreach (var ticket in next.Released)
            {
                tracker.Settle(ticket);
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Could not store the delivery jobs of {NotificationId} ({Error}); the stream waits and it is retried")]
    private static partial void LogStorageFailed(ILogger logger, string notificationId, string error);
}
