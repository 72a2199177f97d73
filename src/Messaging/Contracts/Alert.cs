using System.Text.Json.Serialization;

namespace Analytics.Messaging;

/// <summary>A notification-worthy detection, deduplicated by <see cref="DedupKey"/>.</summary>
public sealed record Alert
{
    [JsonPropertyName("v")] public int V { get; init; } = MessageSchema.Version;
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("dedup_key")] public string DedupKey { get; init; } = "";
    /// <summary>See <see cref="AlertTypes"/>.</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = "";
    /// <summary>See <see cref="AlertSeverities"/>.</summary>
    [JsonPropertyName("severity")] public string Severity { get; init; } = AlertSeverities.Medium;
    /// <summary>The entity as <c>scope:value</c>, e.g. <c>ip:203.0.113.9</c>.</summary>
    [JsonPropertyName("entity")] public string Entity { get; init; } = "";
    [JsonPropertyName("title")] public string Title { get; init; } = "";
    [JsonPropertyName("summary")] public string Summary { get; init; } = "";
    [JsonPropertyName("evidence")] public Evidence? Evidence { get; init; }
    [JsonPropertyName("decision_id")] public string? DecisionId { get; init; }
    [JsonPropertyName("first_seen")] public DateTimeOffset FirstSeen { get; init; }
    [JsonPropertyName("last_seen")] public DateTimeOffset LastSeen { get; init; }
    [JsonPropertyName("count")] public int Count { get; init; } = 1;
    [JsonPropertyName("links")] public IReadOnlyDictionary<string, string> Links { get; init; } = new Dictionary<string, string>();
    /// <summary>True when the decision behind it was simulated.</summary>
    [JsonPropertyName("simulated")] public bool Simulated { get; init; }
}

/// <summary>Values of <see cref="Alert.Type"/>.</summary>
public static class AlertTypes
{
    public const string BruteForce = "brute_force";
    public const string CredentialStuffing = "credential_stuffing";
    public const string Enumeration = "enumeration";
    public const string Scraping = "scraping";
    public const string Flood = "flood";
    public const string Injection = "injection";
    public const string Scanning = "scanning";
    public const string ShadowApi = "shadow_api";
    public const string ZombieApi = "zombie_api";
    public const string Anomaly = "anomaly";
    public const string Report = "report";
}

/// <summary>Values of <see cref="Alert.Severity"/>, lowest first.</summary>
public static class AlertSeverities
{
    public const string Info = "info";
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string Critical = "critical";

    /// <summary>Orders severities so channels can compare them with a threshold; unknown is lowest.</summary>
    public static int Rank(string severity) => severity switch
    {
        Info => 0, Low => 1, Medium => 2, High => 3, Critical => 4, _ => 0,
    };
}
