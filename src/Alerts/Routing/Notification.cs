using System.Text.Json.Serialization;
using Analytics.Messaging;

namespace Analytics.Alerts.Routing;

/// <summary>One message for people, as routing decided it: stored once, delivered by one job per channel.</summary>
internal sealed record Notification
{
    /// <summary>Derived from the alerts behind it, so a redelivered alert maps to the same notification.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("kind")] public required NotificationKind Kind { get; init; }
    [JsonPropertyName("severity")] public required string Severity { get; init; }
    [JsonPropertyName("created")] public required DateTimeOffset Created { get; init; }
    /// <summary>The channels that take it (severity and cap already applied).</summary>
    [JsonPropertyName("channels")] public List<string> Channels { get; init; } = [];
    /// <summary>For alert, update and escalation: the alert with the count, first and last seen of all its repeats.</summary>
    [JsonPropertyName("alert")] public Alert? Alert { get; init; }
    /// <summary>The dedup key every message about the same alert shares (email threads on it).</summary>
    [JsonPropertyName("thread_key")] public string? ThreadKey { get; init; }
    /// <summary>For an update: how many updates this dedup key has had, this one included.</summary>
    [JsonPropertyName("update_number")] public int UpdateNumber { get; init; }
    /// <summary>For an escalation: the severity that was sent before.</summary>
    [JsonPropertyName("previous_severity")] public string? PreviousSeverity { get; init; }
    [JsonPropertyName("digest")] public DigestSummary? Digest { get; init; }
    [JsonPropertyName("held")] public HeldSummary? Held { get; init; }

    /// <summary>How many alerts this message stands for.</summary>
    [JsonIgnore]
    public long AlertCount => Kind switch
    {
        NotificationKind.Digest => Digest?.AlertCount ?? 0,
        NotificationKind.HeldSummary => Held?.Alerts ?? 0,
        _ => Alert?.Count ?? 1,
    };
}
