using System.Text.Json.Serialization;

namespace Analytics.Messaging;

/// <summary>One proxied or rejected HTTP request, as the sidecar saw it. Never carries bodies, query values, tokens or keys.</summary>
public sealed record RequestEvent
{
    /// <summary>Schema version of this message.</summary>
    [JsonPropertyName("v")] public int V { get; init; } = MessageSchema.Version;
    [JsonPropertyName("ts")] public DateTimeOffset Timestamp { get; init; }
    [JsonPropertyName("request_id")] public string RequestId { get; init; } = "";
    [JsonPropertyName("trace_id")] public string? TraceId { get; init; }
    [JsonPropertyName("instance")] public string Instance { get; init; } = "";
    [JsonPropertyName("service")] public string Service { get; init; } = "";
    [JsonPropertyName("client_ip")] public string ClientIp { get; init; } = "";
    [JsonPropertyName("principal")] public PrincipalInfo Principal { get; init; } = PrincipalInfo.Anonymous;
    [JsonPropertyName("method")] public string Method { get; init; } = "";
    [JsonPropertyName("route_id")] public string? RouteId { get; init; }
    [JsonPropertyName("path_template")] public string? PathTemplate { get; init; }
    /// <summary>Normalized path without the query string, truncated.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";
    [JsonPropertyName("status")] public int Status { get; init; }
    [JsonPropertyName("bytes_in")] public long BytesIn { get; init; }
    [JsonPropertyName("bytes_out")] public long BytesOut { get; init; }
    [JsonPropertyName("duration_ms")] public double DurationMs { get; init; }
    [JsonPropertyName("upstream_ms")] public double? UpstreamMs { get; init; }
    [JsonPropertyName("user_agent")] public string? UserAgent { get; init; }
    [JsonPropertyName("auth")] public AuthInfo Auth { get; init; } = AuthInfo.NotEvaluated;
    [JsonPropertyName("rate_limit")] public RateLimitInfo RateLimit { get; init; } = RateLimitInfo.NotEvaluated;
    [JsonPropertyName("inspection")] public InspectionInfo? Inspection { get; init; }
    /// <summary><c>documented</c>, <c>undocumented</c>, or null when the route has no API description.</summary>
    [JsonPropertyName("catalog")] public string? Catalog { get; init; }
    [JsonPropertyName("decision_id")] public string? DecisionId { get; init; }
    /// <summary>HMAC of the login identifier, so credential stuffing is visible without storing user names.</summary>
    [JsonPropertyName("login_hash")] public string? LoginHash { get; init; }
    /// <summary>Which step ended the request, or <c>none</c> when it was forwarded (see <see cref="RejectionReasons"/>).</summary>
    [JsonPropertyName("rejected_by")] public string RejectedBy { get; init; } = RejectionReasons.None;
}

/// <summary>Who made the request: anonymous, an API key id or a JWT subject. Never the secret.</summary>
public sealed record PrincipalInfo(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("id")] string? Id)
{
    public static readonly PrincipalInfo Anonymous = new(PrincipalKinds.Anonymous, null);
}

/// <summary>Principal kinds on <see cref="PrincipalInfo.Kind"/>.</summary>
public static class PrincipalKinds
{
    public const string Anonymous = "anonymous";
    public const string ApiKey = "api_key";
    public const string Jwt = "jwt";
    /// <summary>A TLS client certificate (mTLS); the id is its subject.</summary>
    public const string Certificate = "certificate";
}

/// <summary>Outcome of authentication and authorisation for a request.</summary>
public sealed record AuthInfo(
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("reason")] string? Reason)
{
    public static readonly AuthInfo NotEvaluated = new(AuthOutcomes.NotEvaluated, null);
    public static readonly AuthInfo AnonymousAccess = new(AuthOutcomes.Anonymous, null);
    public static readonly AuthInfo Succeeded = new(AuthOutcomes.Success, null);
}

/// <summary>Values of <see cref="AuthInfo.Outcome"/>.</summary>
public static class AuthOutcomes
{
    public const string NotEvaluated = "not_evaluated";
    public const string Anonymous = "anonymous";
    public const string Success = "success";
    /// <summary>Credentials missing or invalid (401).</summary>
    public const string Failure = "failure";
    /// <summary>Authenticated but not allowed (403).</summary>
    public const string Forbidden = "forbidden";
}

/// <summary>Outcome of rate limiting for a request.</summary>
public sealed record RateLimitInfo(
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("policy")] string? Policy)
{
    public static readonly RateLimitInfo NotEvaluated = new("not_evaluated", null);
    public static readonly RateLimitInfo NoPolicy = new("none", null);
}

/// <summary>Inspection findings for a request.</summary>
public sealed record InspectionInfo
{
    [JsonPropertyName("score")] public int Score { get; init; }
    /// <summary><c>allow</c>, <c>detect</c> (over threshold, forwarded) or <c>block</c>.</summary>
    [JsonPropertyName("action")] public string Action { get; init; } = "allow";
    [JsonPropertyName("rules")] public IReadOnlyList<string> Rules { get; init; } = [];
    [JsonPropertyName("categories")] public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>True when part of the body was beyond the inspection limit and forwarded unscanned.</summary>
    [JsonPropertyName("truncated")] public bool Truncated { get; init; }
}

/// <summary>Values of <see cref="RequestEvent.RejectedBy"/>: the step that ended the request.</summary>
public static class RejectionReasons
{
    public const string None = "none";
    public const string Limits = "limits";
    public const string Decision = "decision";
    public const string Authentication = "authentication";
    public const string Authorization = "authorization";
    public const string RateLimit = "rate_limit";
    public const string Inspection = "inspection";
    public const string Validation = "validation";
    public const string NoRoute = "no_route";
    public const string Upstream = "upstream";
}
