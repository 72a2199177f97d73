using System.ComponentModel.DataAnnotations;
using Analytics.Alerts.Channels;
using Analytics.Alerts.Jobs;
using Analytics.Alerts.Routing;

namespace Analytics.Alerts;

/// <summary>Alert routing, channels and delivery (<c>Alerts</c>).</summary>
public sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <summary>Consumer group on the alerts stream.</summary>
    [Required]
    public string ConsumerGroup { get; set; } = "alerts";

    /// <summary>How many recent alerts <c>GET /alerts</c> keeps.</summary>
    [Range(0, 100_000)]
    public int RecentCapacity { get; set; } = 500;

    /// <summary>Kibana's base URL; messages link to the Discover view of the entity and window when set.</summary>
    public string? KibanaUrl { get; set; }

    /// <summary>
    /// The sidecar admin API that messages name in the command lifting a decision. When empty, this
    /// process's own admin listener (right in Standalone, where the sidecar shares it).
    /// </summary>
    public string? DecisionsAdminUrl { get; set; }

    public RoutingOptions Routing { get; set; } = new();

    public LogChannelOptions Log { get; set; } = new();

    public SlackOptions Slack { get; set; } = new();

    public EmailOptions Email { get; set; } = new();

    public WebhookOptions Webhook { get; set; } = new();

    public DeliveryOptions Delivery { get; set; } = new();

    public HangfireStorageOptions Hangfire { get; set; } = new();

    /// <summary>The admin listener when Alerts runs as its own process (read by the admin listener, listed here so it is a known key).</summary>
    public Analytics.ServiceDefaults.Admin.AdminOptions? Admin { get; set; }
}
