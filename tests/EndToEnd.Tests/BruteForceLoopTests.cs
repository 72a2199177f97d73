using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Analytics.Messaging;
using Analytics.Standalone;
using Xunit.Abstractions;

namespace Analytics.EndToEnd.Tests;

/// <summary>
/// The whole loop in one process: failed logins through the sidecar → requests stream →
/// analyzer's brute-force rule → decisions stream → the sidecar blocks the client, and an alert
/// reaches the alerts service's log channel.
/// </summary>
public sealed class BruteForceLoopTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _data = StandaloneDemo.NewDataDirectory();
    private readonly LogCapture _logs = new();
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneDemo.StartDemoAsync(_data, _logs);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Repeated_failed_logins_get_the_client_blocked_and_alerted()
    {
        using var attacker = Client(_host.ProxyUrl, "127.0.0.77");
        using var bystander = Client(_host.ProxyUrl, "127.0.0.78");

        // Fail until the sidecar refuses us; the rule's threshold is 10 failures a minute.
        var statuses = new List<HttpStatusCode>();
        var sinceThreshold = Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            using var response = await attacker.PostAsync("/api/login", Login("alice", $"guess-{i}"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            if (statuses.Count == 10)
            {
                sinceThreshold.Restart();
            }

            // Past the threshold, pace the retries so the loop measures the decision's arrival.
            if (statuses.Count >= 10)
            {
                await Task.Delay(20);
            }
        }

        Assert.Equal(HttpStatusCode.Forbidden, statuses[^1]);
        Assert.True(statuses.Count >= 11, "the block must come after the threshold, not before");
        output.WriteLine($"time from the threshold-crossing request to the first 403: {sinceThreshold.Elapsed.TotalMilliseconds:F0} ms");

        // Only the offender is blocked.
        using var fine = await bystander.PostAsync("/api/login", Login("alice", "wonderland"));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);

        // The decision is in force on the admin API, with evidence.
        using var admin = Client(_host.AdminUrl, "127.0.0.1");
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", StandaloneDemo.AdminToken);
        var decisions = JsonDocument.Parse(await admin.GetStringAsync("/decisions")).RootElement;
        var decision = decisions.EnumerateArray().Single(d => d.GetProperty("value").GetString() == "127.0.0.77");
        Assert.Equal("block", decision.GetProperty("action").GetString());
        Assert.Equal("ip", decision.GetProperty("scope").GetString());
        Assert.StartsWith("rule:brute", decision.GetProperty("source").GetString());
        Assert.True(decision.GetProperty("evidence").GetProperty("features").EnumerateObject().Any());

        // And an alert was logged by the alerts service.
        await Eventually(() => _logs.Lines.Any(l => l.Contains("ALERT", StringComparison.Ordinal) && l.Contains("127.0.0.77", StringComparison.Ordinal)), "the alert to be logged");
        var alerts = JsonDocument.Parse(await admin.GetStringAsync("/alerts")).RootElement;
        Assert.Contains(alerts.EnumerateArray(), a => a.GetProperty("type").GetString() == AlertTypes.BruteForce
                                                     && a.GetProperty("decision_id").GetString() == decision.GetProperty("id").GetString());
    }

    private static StringContent Login(string user, string password) =>
        new($$"""{"username":"{{user}}","password":"{{password}}"}""", Encoding.UTF8, "application/json");

    private static async Task Eventually(Func<bool> condition, string what)
    {
        for (var i = 0; i < 100; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"Gave up waiting for {what}");
    }

    private static HttpClient Client(string baseUrl, string localAddress) => LoopbackClient.Create(baseUrl, localAddress);
}
