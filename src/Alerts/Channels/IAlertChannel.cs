using Analytics.Alerts.Routing;
using Analytics.Alerts.Templates;

namespace Analytics.Alerts.Channels;

/// <summary>Somewhere notifications go (log, Slack, email, webhook). Throwing means "not delivered; retry later".</summary>
internal interface IAlertChannel
{
    /// <summary>Short name for queues, logs and stats.</summary>
    string Name { get; }

    /// <summary>Whether it is configured (Slack needs a webhook URL, email a host, ...).</summary>
    bool Enabled { get; }

    /// <summary>Its minimum severity and hourly cap, for routing.</summary>
    RouteChannel Route { get; }

    /// <summary>Delivers one notification; throws <see cref="ChannelDeliveryException"/> (never carrying a secret) when it was not delivered.</summary>
    Task SendAsync(Notification notification, NotificationView view, CancellationToken cancellationToken);
}
