namespace Analytics.Alerts.Channels;

/// <summary>The log channel: every notification as a structured log line (<c>Alerts:Log</c>).</summary>
public sealed class LogChannelOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Lowest severity this channel takes (info, low, medium, high, critical).</summary>
    public string MinSeverity { get; set; } = "info";

    /// <summary>Messages per hour at most; what is held back is summed up in one summary at the end of the hour.</summary>
    public int MaxPerHour { get; set; } = 1000;
}
