using Analytics.Messaging;

namespace Analytics.Search.Tests;

/// <summary>Messages of the three streams for tests.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    public static RequestEvent Request(string ip = "203.0.113.7", DateTimeOffset? at = null, int status = 200, string path = "/api/items/1",
        string rejectedBy = RejectionReasons.None, string? userId = null, string method = "GET", InspectionInfo? inspection = null, AuthInfo? auth = null,
        string? userAgent = "curl/8.5", string? id = null) => new()
    {
        Timestamp = at ?? T0,
        RequestId = id ?? Guid.NewGuid().ToString("N"),
        TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
        Instance = "sidecar-1",
        Service = "shop",
        ClientIp = ip,
        Principal = userId is null ? PrincipalInfo.Anonymous : new PrincipalInfo(PrincipalKinds.ApiKey, userId),
        Method = method,
        RouteId = "items",
        PathTemplate = "/api/items/{id}",
        Path = path,
        Status = status,
        BytesIn = 120,
        BytesOut = 512,
        DurationMs = 1.25,
        UpstreamMs = 0.75,
        UserAgent = userAgent,
        Auth = auth ?? AuthInfo.AnonymousAccess,
        RateLimit = new RateLimitInfo("allowed", "anonymous"),
        Inspection = inspection,
        Catalog = "documented",
        RejectedBy = rejectedBy,
    };

    public static Decision Decision(string source = "rule:brute_force", string scope = DecisionScopes.Ip, string value = "203.0.113.7", DateTimeOffset? at = null) => new()
    {
        Id = Guid.NewGuid().ToString(),
        Scope = scope,
        Value = value,
        Action = DecisionActions.Block,
        Reason = "12 failed logins in 1m",
        Source = source,
        Score = 0.9,
        Evidence = new Evidence
        {
            Window = "1m",
            WindowStart = (at ?? T0).AddMinutes(-1),
            WindowEnd = at ?? T0,
            Features = new Dictionary<string, double> { ["failed_logins"] = 12 },
            Thresholds = new Dictionary<string, double> { ["failed_logins"] = 10 },
            TopFeatures = [new FeatureContribution("failed_logins", 12, 0.8)],
            SampleRequestIds = ["r1", "r2"],
            Explanation = "12 failed logins in one minute (threshold 10)",
        },
        Created = at ?? T0,
        Expires = (at ?? T0).AddMinutes(15),
    };

    public static Alert Alert(string type = AlertTypes.BruteForce, string entity = "ip:203.0.113.7", DateTimeOffset? at = null) => new()
    {
        Id = Guid.NewGuid().ToString(),
        DedupKey = type + ":" + entity,
        Type = type,
        Severity = AlertSeverities.High,
        Entity = entity,
        Title = "Brute force from " + entity,
        Summary = "12 failed logins in one minute",
        FirstSeen = (at ?? T0).AddMinutes(-1),
        LastSeen = at ?? T0,
        Count = 1,
    };
}
