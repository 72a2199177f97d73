using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Analytics.Standalone;
using Xunit.Abstractions;

namespace Analytics.EndToEnd.Tests;

/// <summary>
/// The loop over Kafka (librdkafka's mock cluster on loopback): sidecar → requests topic →
/// analyzer → decisions topic → sidecar blocks the offender. Reports the time from the request
/// that crossed the rule's threshold to the first 403, over repeated attackers.
/// </summary>
public sealed class KafkaLoopTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _data = StandaloneDemo.NewDataDirectory();

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Brute_force_is_blocked_through_kafka()
    {
        using var cluster = new MockKafkaCluster();
        var options = cluster.Options("e2e");
        await cluster.CreateTopicsAsync(options);
        // The mock cluster cannot create topics through the admin API: Settings leaves them to first use.
        await using var host = await StandaloneDemo.StartDemoAsync(_data, extra: MockKafkaCluster.Settings(options));

        using var admin = LoopbackClient.Create(host.AdminUrl);
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneDemo.AdminToken);
        await Eventually(async () => (await admin.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "the sidecar to read the decisions topic");

        // The first attacker also waits out the analyzer joining its consumer group.
        var latencies = new List<double>();
        for (var run = 0; run < 6; run++)
        {
            var elapsed = await BruteForceUntilBlockedAsync(host.ProxyUrl, $"127.0.2.{10 + run}");
            if (run > 0)
            {
                latencies.Add(elapsed.TotalMilliseconds);
            }
        }

        latencies.Sort();
        output.WriteLine($"threshold-crossing request to first 403 over Kafka, ms: {string.Join(", ", latencies.Select(l => l.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
        output.WriteLine($"median {latencies[latencies.Count / 2]:F0} ms, max {latencies[^1]:F0} ms");

        // The decisions really went through the topic: the admin API lists them.
        var decisions = await admin.GetStringAsync("/decisions");
        Assert.Contains("127.0.2.15", decisions);
    }

    private static async Task<TimeSpan> BruteForceUntilBlockedAsync(string proxyUrl, string address)
    {
        using var client = LoopbackClient.Create(proxyUrl, address);
        var failures = 0;
        var sinceThreshold = Stopwatch.StartNew();
        for (var i = 0; i < 600; i++)
        {
            using var response = await client.PostAsync("/api/login", new StringContent(
                $$"""{"username":"alice","password":"guess-{{i}}"}""", Encoding.UTF8, "application/json"));
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                Assert.True(failures >= 10, $"{address} was blocked after {failures} failures, before the threshold");
                return sinceThreshold.Elapsed;
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && ++failures == 10)
            {
                sinceThreshold.Restart();
            }

            // Past the threshold, keep asking at a pace the anonymous rate limit allows.
            if (failures >= 10)
            {
                await Task.Delay(25);
            }
        }

        throw new Xunit.Sdk.XunitException($"{address} was never blocked");
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"Gave up waiting for {what}");
    }
}
