using System.Text.Json;
using Analytics.Alerts.Routing;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Jobs;

/// <summary>
/// Notifications kept in the job storage itself (a hash per notification), so a job's arguments
/// are only a channel name and a notification id, and the payload is as durable as the job.
/// The hash also records the job created for each channel, which makes enqueueing idempotent.
/// </summary>
internal sealed class NotificationStore(AlertJobStorage storage, IOptions<AlertsOptions> options)
{
    private const string PayloadField = "json";
    private const string JobFieldPrefix = "job:";

    private readonly TimeSpan _retention = options.Value.Delivery.PayloadRetention;

    /// <summary>The channels that already have a job for this notification (empty when it was never stored).</summary>
    public HashSet<string> ChannelsWithJobs(string notificationId)
    {
        using var connection = storage.Storage.GetConnection();
        var entries = connection.GetAllEntriesFromHash(Key(notificationId));
        return entries is null
            ? []
            : [.. entries.Keys.Where(k => k.StartsWith(JobFieldPrefix, StringComparison.Ordinal)).Select(k => k[JobFieldPrefix.Length..])];
    }

    public void Save(Notification notification)
    {
        using var connection = storage.Storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        var key = Key(notification.Id);
        transaction.SetRangeInHash(key, [new(PayloadField, JsonSerializer.Serialize(notification, AlertsJsonContext.Default.Notification))]);
        Expire(transaction, key);
        transaction.Commit();
    }

    public void RecordJob(string notificationId, string channel, string jobId)
    {
        using var connection = storage.Storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        var key = Key(notificationId);
        transaction.SetRangeInHash(key, [new(JobFieldPrefix + channel, jobId)]);
        Expire(transaction, key);
        transaction.Commit();
    }

    public Notification? Load(string notificationId)
    {
        using var connection = storage.Storage.GetConnection();
        var entries = connection.GetAllEntriesFromHash(Key(notificationId));
        return entries is null || !entries.TryGetValue(PayloadField, out var json) ? null : JsonSerializer.Deserialize(json, AlertsJsonContext.Default.Notification);
    }

    private void Expire(IWriteOnlyTransaction transaction, string key)
    {
        if (transaction is JobStorageTransaction expiring)
        {
            expiring.ExpireHash(key, _retention);
        }
    }

    private static string Key(string notificationId) => "alerts:notification:" + notificationId;
}
