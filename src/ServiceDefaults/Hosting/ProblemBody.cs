using System.Text.Json.Serialization;

namespace Analytics.ServiceDefaults.Hosting;

/// <summary>An RFC 7807 problem+json body.</summary>
public sealed record ProblemBody(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] string? Detail)
{
    [JsonPropertyName("instance")] public string? Instance { get; init; }
    [JsonPropertyName("request_id")] public string? RequestId { get; init; }
    /// <summary>Names of failing fields (never their values), for validation errors.</summary>
    [JsonPropertyName("errors")] public IReadOnlyList<string>? Errors { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemBody))]
/// <summary>Source-generated JSON for ServiceDefaults types.</summary>
public sealed partial class ServiceDefaultsJsonContext : JsonSerializerContext;
