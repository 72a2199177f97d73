namespace Analytics.Alerts.Routing;

/// <summary>Alerts of one type waiting to be sent together.</summary>
internal sealed class AlertGroup(string type, DateTimeOffset started)
{
    public string Type { get; } = type;

    public DateTimeOffset Started { get; } = started;

    /// <summary>Dedup keys in arrival order.</summary>
    public List<string> Keys { get; } = [];

    /// <summary>Stream tickets of the alerts that opened entries in this group.</summary>
    public List<long> Tickets { get; } = [];
}
