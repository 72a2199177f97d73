using System.Text.Json.Serialization;

namespace Analytics.Alerts.Routing;

/// <summary>A burst of alerts of one type: totals and the entities that raised most.</summary>
internal sealed record DigestSummary
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    /// <summary>Alerts in the burst, repeats included.</summary>
    [JsonPropertyName("alert_count")] public long AlertCount { get; init; }
    [JsonPropertyName("entity_count")] public int EntityCount { get; init; }
    [JsonPropertyName("simulated_count")] public int SimulatedCount { get; init; }
    [JsonPropertyName("first_seen")] public DateTimeOffset FirstSeen { get; init; }
    [JsonPropertyName("last_seen")] public DateTimeOffset LastSeen { get; init; }
    /// <summary>The entities with most alerts, most first.</summary>
    [JsonPropertyName("top")] public List<DigestEntry> Top { get; init; } = [];
}
