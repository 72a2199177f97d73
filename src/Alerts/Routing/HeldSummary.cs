using System.Text.Json.Serialization;

namespace Analytics.Alerts.Routing;

/// <summary>What one channel's hourly cap held back in one hour.</summary>
internal sealed record HeldSummary
{
    [JsonPropertyName("channel")] public required string Channel { get; init; }
    [JsonPropertyName("window_start")] public DateTimeOffset WindowStart { get; init; }
    [JsonPropertyName("window_end")] public DateTimeOffset WindowEnd { get; init; }
    /// <summary>Messages not sent.</summary>
    [JsonPropertyName("messages")] public int Messages { get; init; }
    /// <summary>Alerts those messages stood for.</summary>
    [JsonPropertyName("alerts")] public long Alerts { get; init; }
    [JsonPropertyName("by_type")] public Dictionary<string, long> ByType { get; init; } = new(StringComparer.Ordinal);
    [JsonPropertyName("top_entities")] public List<string> TopEntities { get; init; } = [];
}
