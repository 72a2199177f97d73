namespace Analytics.Alerts.Routing;

/// <summary>Dedup, grouping and cap settings (<c>Alerts:Routing</c>).</summary>
public sealed class RoutingOptions
{
    /// <summary>Repeats of a dedup key within this window update one message instead of sending new ones; at most one update per window.</summary>
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the first alert of a type waits for others to join its digest (Alertmanager's <c>group_wait</c>).</summary>
    public TimeSpan GroupWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A group this large is sent at once, without waiting out <see cref="GroupWait"/> (CrowdSec's <c>group_threshold</c>).</summary>
    public int GroupThreshold { get; set; } = 500;

    /// <summary>How many entities a digest lists by name.</summary>
    public int DigestTopEntities { get; set; } = 10;

    /// <summary>How often buffered groups, pending updates and cap summaries are checked.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);
}
