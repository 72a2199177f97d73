using Analytics.Alerts.Routing;
using Analytics.Alerts.Stats;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging;

namespace Analytics.Alerts.Jobs;

/// <summary>
/// Stores a notification and creates one delivery job per channel, each durably in the job
/// storage before this returns. Idempotent: a notification stored before (an alert redelivered
/// after a restart) gets jobs only for the channels that lack one.
/// </summary>
internal sealed partial class DeliveryEnqueuer(
    AlertJobStorage storage,
    NotificationStore store,
    DeliveryJobFilters filters,
    AlertStats stats,
    ILogger<DeliveryEnqueuer> logger)
{
    private readonly BackgroundJobClient _client = new(storage.Storage, filters.Provider);

    public void Enqueue(Notification notification)
    {
        var existing = store.ChannelsWithJobs(notification.Id);
        if (existing.Count == 0)
        {
            store.Save(notification);
        }

        foreach (var channel in notification.Channels)
        {
            if (existing.Contains(channel))
            {
                LogAlreadyEnqueued(logger, notification.Id, channel);
                continue;
            }

            var job = Job.FromExpression<DeliveryJob>(j => j.SendAsync(channel, notification.Id, CancellationToken.None));
            var jobId = _client.Create(job, new EnqueuedState(DeliveryQueues.For(channel)));
            store.RecordJob(notification.Id, channel, jobId);
            stats.Enqueued(channel);
        }
    }

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Notification {NotificationId} already has a job for {Channel} (redelivered alert); not enqueued again")]
    private static partial void LogAlreadyEnqueued(ILogger logger, string notificationId, string channel);
}
