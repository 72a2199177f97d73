namespace Analytics.Alerts.Channels;

/// <summary>A generic JSON webhook signed with HMAC-SHA256 (<c>Alerts:Webhook</c>). Off until <see cref="Url"/> is set.</summary>
public sealed class WebhookOptions
{
    /// <summary>Where to POST. Treated as a credential (it may carry a token): never logged.</summary>
    public string? Url { get; set; }

    /// <summary>The HMAC key receivers verify the signature with; required with <see cref="Url"/>, at least 16 characters.</summary>
    public string? Secret { get; set; }

    public string MinSeverity { get; set; } = "info";

    public int MaxPerHour { get; set; } = 1000;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
