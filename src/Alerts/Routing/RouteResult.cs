namespace Analytics.Alerts.Routing;

/// <summary>What routing produced: notifications to deliver, and the tickets of the alerts now fully accounted for.</summary>
internal sealed class RouteResult
{
    public List<Notification> Notifications { get; } = [];

    /// <summary>Tickets (stream positions) whose alerts need nothing more from routing; their offsets may be committed once the notifications are stored.</summary>
    public List<long> Released { get; } = [];

    public bool IsEmpty => Notifications.Count == 0 && Released.Count == 0;
}
