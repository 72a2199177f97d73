using System.Text.Json.Serialization;

namespace Analytics.Sidecar.Catalog;

/// <summary>The catalog as the admin API returns it (<c>GET /catalog</c>).</summary>
public sealed class CatalogSnapshot
{
    [JsonPropertyName("generated_at")] public DateTimeOffset GeneratedAt { get; init; }
    [JsonPropertyName("operations")] public IReadOnlyList<CatalogOperation> Operations { get; init; } = [];
    /// <summary>New operations not stored because the catalog was full.</summary>
    [JsonPropertyName("overflow")] public long Overflow { get; init; }
    /// <summary>Path prefixes and segment values the templater did not store because it was full.</summary>
    [JsonPropertyName("untracked")] public long Untracked { get; init; }
}

/// <summary>One observed operation.</summary>
public sealed class CatalogOperation
{
    [JsonPropertyName("method")] public string Method { get; init; } = "";
    [JsonPropertyName("path")] public string Path { get; init; } = "";
    [JsonPropertyName("route_id")] public string? RouteId { get; init; }
    [JsonPropertyName("count")] public long Count { get; init; }
    [JsonPropertyName("first_seen")] public DateTimeOffset FirstSeen { get; init; }
    [JsonPropertyName("last_seen")] public DateTimeOffset LastSeen { get; init; }
    /// <summary>True/false when the cluster has an OpenAPI document; null when it has none.</summary>
    [JsonPropertyName("documented")] public bool? Documented { get; init; }
    [JsonPropertyName("status")] public IReadOnlyDictionary<string, long> Status { get; init; } = new Dictionary<string, long>();
    [JsonPropertyName("auth")] public IReadOnlyDictionary<string, long> Auth { get; init; } = new Dictionary<string, long>();
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CatalogSnapshot))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
