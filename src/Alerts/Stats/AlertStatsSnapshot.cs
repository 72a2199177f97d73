using System.Text.Json.Serialization;

namespace Analytics.Alerts.Stats;

/// <summary>The body of <c>GET /alerts/stats</c>.</summary>
internal sealed record AlertStatsSnapshot
{
    [JsonPropertyName("received")] public long Received { get; init; }
    [JsonPropertyName("suppressed_by_dedup")] public long SuppressedByDedup { get; init; }
    [JsonPropertyName("notifications")] public long Notifications { get; init; }
    [JsonPropertyName("digests")] public long Digests { get; init; }
    [JsonPropertyName("storage")] public required string Storage { get; init; }
    [JsonPropertyName("channels")] public required Dictionary<string, ChannelStats> Channels { get; init; }
}
