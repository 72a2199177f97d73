using Microsoft.Extensions.Logging;

namespace Analytics.Alerts.Routing;

/// <summary>Routing outcomes as structured log lines (each also counted in <see cref="Stats.AlertStats"/>).</summary>
internal static partial class RoutingLog
{
    [LoggerMessage(EventId = 3040, Level = LogLevel.Debug, Message = "Alert {AlertId} ({DedupKey}) folded into the message already sent or pending: suppressed by dedup")]
    public static partial void SuppressedByDedup(ILogger logger, string alertId, string dedupKey);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Information, Message = "Notification {NotificationId} held back from {Channel} by its hourly cap of {Cap}")]
    public static partial void HeldByCap(ILogger logger, string notificationId, string channel, int cap);

    [LoggerMessage(EventId = 3042, Level = LogLevel.Debug, Message = "Notification {NotificationId} ({Severity}) is below {Channel}'s minimum severity")]
    public static partial void BelowSeverity(ILogger logger, string notificationId, string severity, string channel);

    [LoggerMessage(EventId = 3043, Level = LogLevel.Information, Message = "Notification {NotificationId} ({Kind}, {Alerts} alerts) routed to {Channels}")]
    public static partial void Routed(ILogger logger, string notificationId, NotificationKind kind, long alerts, string channels);
}
