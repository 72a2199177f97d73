using System.Text.Json.Serialization;

namespace Analytics.Alerts.Routing;

/// <summary>One entity in a digest.</summary>
internal sealed record DigestEntry
{
    [JsonPropertyName("entity")] public required string Entity { get; init; }
    [JsonPropertyName("count")] public long Count { get; init; }
    [JsonPropertyName("severity")] public required string Severity { get; init; }
    [JsonPropertyName("title")] public string Title { get; init; } = "";
    [JsonPropertyName("decision_id")] public string? DecisionId { get; init; }
    [JsonPropertyName("simulated")] public bool Simulated { get; init; }
}
