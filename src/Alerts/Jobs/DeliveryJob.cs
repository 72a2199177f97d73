using System.ComponentModel;
using Analytics.Alerts.Channels;
using Analytics.Alerts.Stats;
using Analytics.Alerts.Templates;
using Microsoft.Extensions.Logging;

namespace Analytics.Alerts.Jobs;

/// <summary>
/// The Hangfire job: delivers one stored notification to one channel. Its arguments are the
/// channel's name and the notification's id, never a URL, an address or a password. A throw
/// hands the attempt to <see cref="DeliveryRetryFilter"/>.
/// </summary>
internal sealed partial class DeliveryJob(
    IEnumerable<IAlertChannel> channels,
    NotificationStore store,
    NotificationViewBuilder views,
    AlertStats stats,
    ILogger<DeliveryJob> logger)
{
    private readonly Dictionary<string, IAlertChannel> _channels = channels.Where(c => c.Enabled).ToDictionary(c => c.Name, StringComparer.Ordinal);

    [DisplayName("{0}: deliver {1}")]
    public async Task SendAsync(string channel, string notificationId, CancellationToken cancellationToken)
    {
        using var activity = DeliveryTracing.Start(channel, notificationId);
        if (!_channels.TryGetValue(channel, out var target))
        {
            // Configuration changed since the job was stored: nobody to send to.
            LogChannelGone(logger, channel, notificationId);
            DeliveryTracing.Outcome(activity, DeliveryTracing.Dropped);
            return;
        }

        var notification = store.Load(notificationId);
        if (notification is null)
        {
            LogPayloadGone(logger, channel, notificationId);
            DeliveryTracing.Outcome(activity, DeliveryTracing.Dropped);
            return;
        }

        DeliveryTracing.Describe(activity, notification);
        var view = views.Build(notification);
        try
        {
            await target.SendAsync(notification, view, cancellationToken);
        }
        catch (ChannelDeliveryException ex)
        {
            LogAttemptFailed(logger, channel, notificationId, ex.Message);
            DeliveryTracing.Outcome(activity, DeliveryTracing.Failed, ex.Message);
            throw;
        }

        DeliveryTracing.Outcome(activity, DeliveryTracing.Sent);
        stats.Sent(channel);
        LogSent(logger, channel, notificationId, notification.Kind.ToString(), notification.AlertCount);
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Delivered {NotificationId} ({Kind}, {Alerts} alerts) to {Channel}")]
    private static partial void LogSent(ILogger logger, string channel, string notificationId, string kind, long alerts);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Attempt to deliver {NotificationId} to {Channel} failed: {Problem}")]
    private static partial void LogAttemptFailed(ILogger logger, string channel, string notificationId, string problem);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Channel {Channel} is no longer configured; {NotificationId} is dropped for it")]
    private static partial void LogChannelGone(ILogger logger, string channel, string notificationId);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Error, Message = "Notification {NotificationId} for {Channel} is no longer stored (expired?); nothing to deliver")]
    private static partial void LogPayloadGone(ILogger logger, string channel, string notificationId);
}
