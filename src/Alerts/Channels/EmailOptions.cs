namespace Analytics.Alerts.Channels;

/// <summary>Email over SMTP with MailKit (<c>Alerts:Email</c>). Off until <see cref="Host"/> is set.</summary>
public sealed class EmailOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary><c>None</c>, <c>StartTls</c> or <c>SslOnConnect</c>.</summary>
    public string Security { get; set; } = "StartTls";

    public string From { get; set; } = "analytics-alerts@localhost";

    public List<string> To { get; set; } = [];

    public string? Username { get; set; }

    /// <summary>A credential: never logged, never in a job argument.</summary>
    public string? Password { get; set; }

    public string MinSeverity { get; set; } = "high";

    public int MaxPerHour { get; set; } = 20;

    /// <summary>Extra recipients for notifications at or above a severity, e.g. <c>critical: [oncall@example.com]</c>.</summary>
    public Dictionary<string, List<string>> RecipientsBySeverity { get; set; } = new(StringComparer.Ordinal);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
