using Analytics.Messaging;

namespace Analytics.Bench.Search;

/// <summary>Deterministic request events: 10,000 client addresses, a tenth rejected.</summary>
internal static class SearchCorpus
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    public static RequestEvent Event(int i) => new()
    {
        Timestamp = Start.AddMilliseconds(i * 50L),
        RequestId = "req-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        TraceId = i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture),
        Instance = "sidecar-1",
        Service = "shop",
        ClientIp = $"10.{i % 7}.{i / 7 % 100 % 256}.{i % 10_000 % 250 + 1}",
        Principal = i % 3 == 0 ? new PrincipalInfo(PrincipalKinds.ApiKey, "key-" + (i % 50)) : PrincipalInfo.Anonymous,
        Method = i % 5 == 0 ? "POST" : "GET",
        RouteId = "items",
        PathTemplate = "/api/items/{id}",
        Path = "/api/items/" + (i % 1000),
        Status = i % 10 == 0 ? 401 : 200,
        BytesIn = 100 + i % 300,
        BytesOut = 500 + i % 2000,
        DurationMs = 0.5 + i % 100 / 10.0,
        UpstreamMs = 0.3,
        UserAgent = "Mozilla/5.0 (X11; Linux x86_64) bench/" + (i % 20),
        Auth = i % 10 == 0 ? new AuthInfo(AuthOutcomes.Failure, "invalid_credentials") : AuthInfo.AnonymousAccess,
        RateLimit = new RateLimitInfo("allowed", "anonymous"),
        Catalog = "documented",
        RejectedBy = i % 10 == 0 ? RejectionReasons.Authentication : RejectionReasons.None,
    };
}
