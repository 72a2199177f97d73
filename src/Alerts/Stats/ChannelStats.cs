using System.Text.Json.Serialization;

namespace Analytics.Alerts.Stats;

/// <summary>Outcome counts of one channel since start.</summary>
internal sealed record ChannelStats(
    [property: JsonPropertyName("enqueued")] long Enqueued,
    [property: JsonPropertyName("sent")] long Sent,
    [property: JsonPropertyName("retried")] long Retried,
    [property: JsonPropertyName("failed")] long Failed,
    [property: JsonPropertyName("held_by_cap")] long HeldByCap,
    [property: JsonPropertyName("below_severity")] long BelowSeverity);
