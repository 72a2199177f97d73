namespace Analytics.Alerts.Routing;

/// <summary>One channel's hourly cap: what was sent and what was held back in the current hour.</summary>
internal sealed class ChannelBudget(RouteChannel channel)
{
    public RouteChannel Channel { get; } = channel;

    public DateTimeOffset? WindowStart { get; set; }

    public int Sent { get; set; }

    public int HeldMessages { get; set; }

    public long HeldAlerts { get; set; }

    public Dictionary<string, long> HeldByType { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> HeldEntities { get; } = new(StringComparer.Ordinal);

    public void Reset(DateTimeOffset? start)
    {
        WindowStart = start;
        Sent = 0;
        HeldMessages = 0;
        HeldAlerts = 0;
        HeldByType.Clear();
        HeldEntities.Clear();
    }
}
