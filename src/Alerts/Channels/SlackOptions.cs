namespace Analytics.Alerts.Channels;

/// <summary>Slack incoming webhook (<c>Alerts:Slack</c>). Off until <see cref="WebhookUrl"/> is set.</summary>
public sealed class SlackOptions
{
    /// <summary>The incoming webhook URL. A credential: never logged, never in a job argument.</summary>
    public string? WebhookUrl { get; set; }

    public string MinSeverity { get; set; } = "medium";

    public int MaxPerHour { get; set; } = 30;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
