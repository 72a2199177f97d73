using Analytics.Messaging;

namespace Analytics.Alerts.Tests.Support;

/// <summary>Alerts as the analyzer sends them.</summary>
internal static class TestAlerts
{
    public static readonly DateTimeOffset Seen = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    public static Alert BruteForce(string ip = "203.0.113.9", string? id = null, string severity = AlertSeverities.High, bool simulated = false) => new()
    {
        Id = id ?? Guid.NewGuid().ToString("N"),
        DedupKey = $"brute_force:ip:{ip}",
        Type = AlertTypes.BruteForce,
        Severity = severity,
        Entity = $"ip:{ip}",
        Title = $"Brute force from {ip}",
        Summary = $"42 failed logins from {ip} in one minute.",
        DecisionId = "dec-" + ip.Replace('.', '-'),
        Simulated = simulated,
        FirstSeen = Seen,
        LastSeen = Seen.AddSeconds(50),
        Evidence = new Evidence
        {
            Window = "1m",
            WindowStart = Seen,
            WindowEnd = Seen.AddMinutes(1),
            Features = new Dictionary<string, double> { ["login_failures"] = 42 },
            Thresholds = new Dictionary<string, double> { ["login_failures"] = 20 },
            Explanation = $"{ip} failed 42 logins in 1m (threshold 20).",
        },
    };
}
