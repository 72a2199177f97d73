using System.ComponentModel.DataAnnotations;

namespace Analytics.Alerts;

/// <summary>Alert routing and channels (<c>Alerts</c>).</summary>
public sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <summary>Consumer group on the alerts stream.</summary>
    [Required]
    public string ConsumerGroup { get; set; } = "alerts";

    /// <summary>How many recent alerts <c>GET /alerts</c> keeps.</summary>
    [Range(0, 100_000)]
    public int RecentCapacity { get; set; } = 500;

    /// <summary>Attempts per alert and channel before the alert is left uncommitted for redelivery.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    public LogChannelOptions Log { get; set; } = new();

    /// <summary>The admin listener when Alerts runs as its own process (read by the admin listener, listed here so it is a known key).</summary>
    public Analytics.ServiceDefaults.Admin.AdminOptions? Admin { get; set; }
}

/// <summary>The log channel: every alert as a structured log line.</summary>
public sealed class LogChannelOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Lowest severity this channel takes (info, low, medium, high, critical).</summary>
    public string MinSeverity { get; set; } = "info";
}
