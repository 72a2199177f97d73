using System.Text.Json.Serialization;

namespace Analytics.Messaging;

/// <summary>A block, throttle or allow decision on one entity, with the evidence that led to it.</summary>
public sealed record Decision
{
    [JsonPropertyName("v")] public int V { get; init; } = MessageSchema.Version;
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    /// <summary><c>ip</c>, <c>cidr</c>, <c>api_key</c> or <c>subject</c> (see <see cref="DecisionScopes"/>).</summary>
    [JsonPropertyName("scope")] public string Scope { get; init; } = "";
    [JsonPropertyName("value")] public string Value { get; init; } = "";
    /// <summary><c>block</c>, <c>throttle</c> or <c>allow</c> (see <see cref="DecisionActions"/>).</summary>
    [JsonPropertyName("action")] public string Action { get; init; } = DecisionActions.Block;
    /// <summary>For <c>throttle</c>: the requests per second the entity may still make.</summary>
    [JsonPropertyName("rate")] public double? Rate { get; init; }
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    /// <summary><c>rule:&lt;name&gt;</c>, <c>model:&lt;name&gt;</c> or <c>manual</c>.</summary>
    [JsonPropertyName("source")] public string Source { get; init; } = "manual";
    [JsonPropertyName("score")] public double? Score { get; init; }
    [JsonPropertyName("evidence")] public Evidence? Evidence { get; init; }
    /// <summary>Dry run: logged and counted, never enforced.</summary>
    [JsonPropertyName("simulated")] public bool Simulated { get; init; }
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    /// <summary>When the decision stops applying; null means until removed.</summary>
    [JsonPropertyName("expires")] public DateTimeOffset? Expires { get; init; }
    /// <summary>For decisions made through an admin API: the name of the admin credential that made it (optional; absent from older producers).</summary>
    [JsonPropertyName("created_by")] public string? CreatedBy { get; init; }
    /// <summary>
    /// HMAC-SHA256 (base64url) by the producer over <see cref="DecisionSigner.CanonicalForm"/>;
    /// sidecars with a signing key refuse decisions without a valid one.
    /// </summary>
    [JsonPropertyName("sig")] public string? Signature { get; init; }

    /// <summary>The stream key: <c>scope:value</c>, so the compacted topic keeps one decision per entity.</summary>
    [JsonIgnore] public string Key => DecisionKey(Scope, Value);

    public static string DecisionKey(string scope, string value) => scope + ":" + value;

    public bool IsExpired(DateTimeOffset now) => Expires is { } e && e <= now;
}

/// <summary>Values of <see cref="Decision.Scope"/>.</summary>
public static class DecisionScopes
{
    public const string Ip = "ip";
    public const string Cidr = "cidr";
    public const string ApiKey = "api_key";
    public const string Subject = "subject";

    public static bool IsKnown(string scope) => scope is Ip or Cidr or ApiKey or Subject;
}

/// <summary>Values of <see cref="Decision.Action"/>.</summary>
public static class DecisionActions
{
    public const string Block = "block";
    public const string Throttle = "throttle";
    public const string Allow = "allow";

    public static bool IsKnown(string action) => action is Block or Throttle or Allow;
}

/// <summary>Why a detector decided: the window, the measured values, the thresholds and sample requests.</summary>
public sealed record Evidence
{
    /// <summary>The window the values were measured over, e.g. <c>1m</c>.</summary>
    [JsonPropertyName("window")] public string? Window { get; init; }
    [JsonPropertyName("window_start")] public DateTimeOffset? WindowStart { get; init; }
    [JsonPropertyName("window_end")] public DateTimeOffset? WindowEnd { get; init; }
    /// <summary>Feature values that mattered, by feature name.</summary>
    [JsonPropertyName("features")] public IReadOnlyDictionary<string, double> Features { get; init; } = new Dictionary<string, double>();
    /// <summary>Thresholds the values were compared with, by the same names.</summary>
    [JsonPropertyName("thresholds")] public IReadOnlyDictionary<string, double> Thresholds { get; init; } = new Dictionary<string, double>();
    /// <summary>For model decisions: the features that contributed most, largest first.</summary>
    [JsonPropertyName("top_features")] public IReadOnlyList<FeatureContribution> TopFeatures { get; init; } = [];
    [JsonPropertyName("sample_request_ids")] public IReadOnlyList<string> SampleRequestIds { get; init; } = [];
    /// <summary>
    /// The W3C trace id of the request that triggered the decision (the one that crossed the
    /// threshold), so a decision leads to that request's trace. Optional: absent in messages from
    /// before it existed, and when the request carried no trace.
    /// </summary>
    [JsonPropertyName("trace_id")] public string? TraceId { get; init; }
    /// <summary>One human sentence that explains the decision.</summary>
    [JsonPropertyName("explanation")] public string? Explanation { get; init; }
}

/// <summary>One feature's share of a model's anomaly score.</summary>
public sealed record FeatureContribution(
    [property: JsonPropertyName("feature")] string Feature,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("contribution")] double Contribution);
