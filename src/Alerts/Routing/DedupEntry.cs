using Analytics.Messaging;

namespace Analytics.Alerts.Routing;

/// <summary>Routing state of one dedup key: the alert with its repeats folded in, and what was last sent.</summary>
internal sealed class DedupEntry(Alert first)
{
    /// <summary>The id of the alert that opened this episode; notification ids derive from it.</summary>
    public string EpisodeId { get; } = first.Id;

    /// <summary>The latest alert, with count, first and last seen of every repeat.</summary>
    public Alert Current { get; private set; } = first;

    /// <summary>The severity people last heard about.</summary>
    public string SentSeverity { get; set; } = first.Severity;

    /// <summary>When the current dedup window started (the last message sent).</summary>
    public DateTimeOffset WindowStart { get; set; }

    /// <summary>Buffered in a group that has not been sent yet.</summary>
    public bool InGroup { get; set; } = true;

    /// <summary>Repeats arrived since the last message.</summary>
    public bool PendingUpdate { get; set; }

    public int Updates { get; set; }

    /// <summary>Stream tickets of repeats folded in while the entry waits in its group.</summary>
    public List<long> HeldTickets { get; } = [];

    public void Merge(Alert repeat)
    {
        var merged = Current.Count + Math.Max(1, repeat.Count);
        Current = (AlertSeverities.Rank(repeat.Severity) >= AlertSeverities.Rank(Current.Severity) ? repeat : Current) with
        {
            Count = merged,
            FirstSeen = Min(Current.FirstSeen, repeat.FirstSeen),
            LastSeen = Max(Current.LastSeen, repeat.LastSeen),
        };
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a == default ? b : b == default ? a : a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
