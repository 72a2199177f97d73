namespace Analytics.Messaging.Tests;

internal static class Samples
{
    public static RequestEvent Request(int i, string ip = "203.0.113.9") => new()
    {
        Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddMilliseconds(i),
        RequestId = "req-" + i,
        Instance = "sidecar-1",
        Service = "shop",
        ClientIp = ip,
        Method = "GET",
        Path = "/api/items/" + i,
        PathTemplate = "/api/items/{id}",
        Status = 200,
        DurationMs = 1.5,
    };

    public static Decision Decision(string ip, string id, string action = DecisionActions.Block) => new()
    {
        Id = id,
        Scope = DecisionScopes.Ip,
        Value = ip,
        Action = action,
        Reason = "test",
        Source = "manual",
        Created = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero),
    };

    public static Alert Alert(string dedupKey, string id) => new()
    {
        Id = id,
        DedupKey = dedupKey,
        Type = AlertTypes.BruteForce,
        Severity = AlertSeverities.High,
        Entity = "ip:203.0.113.9",
        Title = "Brute force",
        Summary = "many failed logins",
    };
}
