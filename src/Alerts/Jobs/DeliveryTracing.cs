using System.Diagnostics;
using Analytics.Alerts.Routing;
using Analytics.ServiceDefaults.Telemetry;

namespace Analytics.Alerts.Jobs;

/// <summary>
/// The alerts service's spans (activity source <c>Analytics.Alerts.Delivery</c>, recorded by the
/// tracer ServiceDefaults sets up when OTLP is configured): one per delivery attempt, linked to
/// the trace of the request behind the alert (digests and held summaries name none), tagged with
/// the channel, the notification's kind and id and the outcome. No address, URL or secret.
/// </summary>
internal static class DeliveryTracing
{
    public const string SourceName = "Analytics.Alerts.Delivery";

    /// <summary>The <c>analytics.delivery.outcome</c> tag.</summary>
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Dropped = "dropped";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the span of one attempt; null when nothing records spans.</summary>
    public static Activity? Start(string channel, string notificationId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("analytics.alert.delivery", ActivityKind.Internal);
        activity?.SetTag("analytics.channel", channel);
        activity?.SetTag("analytics.notification.id", notificationId);
        return activity;
    }

    /// <summary>
    /// Adds what the stored notification tells: its kind, how many alerts it stands for, the
    /// alert's type and decision, and the link to the triggering request's trace.
    /// </summary>
    public static void Describe(Activity? activity, Notification notification)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("analytics.notification.kind", notification.Kind.ToString());
        activity.SetTag("analytics.notification.alerts", notification.AlertCount);
        if (notification.Alert is { } alert)
        {
            activity.SetTag("analytics.alert.type", alert.Type);
            activity.SetTag("analytics.alert.severity", alert.Severity);
            activity.SetTag("analytics.decision.id", alert.DecisionId);
            foreach (var link in TraceLinks.To(alert.Evidence?.TraceId))
            {
                activity.AddLink(link);
            }
        }
    }

    /// <summary>Records how the attempt ended; a failed one also sets the span's error status.</summary>
    public static void Outcome(Activity? activity, string outcome, string? problem = null)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("analytics.delivery.outcome", outcome);
        if (outcome == Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, problem);
        }
    }
}
