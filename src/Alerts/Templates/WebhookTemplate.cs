using System.Text.Json;
using Analytics.Alerts.Routing;
using Analytics.Messaging;

namespace Analytics.Alerts.Templates;

/// <summary>
/// The webhook body: for an alert, update or escalation the Alert contract itself (count, first and
/// last seen cover every repeat); for a digest or a held-back summary, that summary as JSON. The
/// <c>X-Analytics-Notification</c> header names which.
/// </summary>
internal static class WebhookTemplate
{
    public static string Kind(Notification n) => n.Kind switch
    {
        NotificationKind.Alert => "alert",
        NotificationKind.Update => "update",
        NotificationKind.Escalation => "escalation",
        NotificationKind.Digest => "digest",
        _ => "held_summary",
    };

    public static byte[] Render(Notification n) => n.Kind switch
    {
        NotificationKind.Digest => JsonSerializer.SerializeToUtf8Bytes(n.Digest!, AlertsJsonContext.Default.DigestSummary),
        NotificationKind.HeldSummary => JsonSerializer.SerializeToUtf8Bytes(n.Held!, AlertsJsonContext.Default.HeldSummary),
        _ => JsonSerializer.SerializeToUtf8Bytes(n.Alert!, MessagesJsonContext.Default.Alert),
    };
}
