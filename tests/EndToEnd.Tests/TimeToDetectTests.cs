using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Analytics.Standalone;
using Xunit.Abstractions;

namespace Analytics.EndToEnd.Tests;

/// <summary>
/// Time from an attacker's first request to the first 403, in Standalone, for brute force and a
/// flood; the figures are reported, the test asserts only that each attacker is blocked by the
/// right detector.
/// </summary>
public sealed class TimeToDetectTests(ITestOutputHelper output) : IAsyncLifetime
{
    private DemoHost _demo = null!;

    private StandaloneHost Host => _demo.Host;

    public async Task InitializeAsync() => _demo = await DemoHost.StartAsync();

    public async Task DisposeAsync() => await _demo.DisposeAsync();

    [Fact]
    public async Task Brute_force_and_flood_are_blocked_soon_after_they_start()
    {
        var bruteForce = new List<double>();
        var flood = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            bruteForce.Add(await UntilBlockedAsync($"127.0.3.{10 + run}", concurrency: 1, client =>
                client.PostAsync("/api/login", new StringContent("""{"username":"alice","password":"nope"}""", Encoding.UTF8, "application/json"))));
            flood.Add(await UntilBlockedAsync($"127.0.3.{20 + run}", concurrency: 8, client => client.GetAsync("/api/status")));
        }

        output.WriteLine($"first request to first 403, ms: brute force {Format(bruteForce)}; flood {Format(flood)}");
        output.WriteLine($"median: brute force {Median(bruteForce):F0} ms, flood {Median(flood):F0} ms");

        using var admin = LoopbackClient.Create(Host.AdminUrl);
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneDemo.AdminToken);
        var decisions = JsonDocument.Parse(await admin.GetStringAsync("/decisions")).RootElement.EnumerateArray()
            .ToDictionary(d => d.GetProperty("value").GetString()!, d => d.GetProperty("source").GetString()!);
        Assert.Equal("rule:brute_force", decisions["127.0.3.10"]);
        Assert.Equal("rule:flood", decisions["127.0.3.20"]);
    }

    private async Task<double> UntilBlockedAsync(string address, int concurrency, Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        using var client = LoopbackClient.Create(Host.ProxyUrl, address);
        using var blocked = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        double? firstBlock = null;
        var sent = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (!blocked.IsCancellationRequested && Interlocked.Increment(ref sent) <= 20_000)
            {
                using var response = await send(client);
                if (response.StatusCode == HttpStatusCode.Forbidden)
                {
                    lock (blocked)
                    {
                        firstBlock ??= clock.Elapsed.TotalMilliseconds;
                    }

                    await blocked.CancelAsync();
                }
            }
        });
        await Task.WhenAll(workers);
        return firstBlock ?? throw new Xunit.Sdk.XunitException($"{address} was never blocked");
    }

    private static string Format(List<double> values) => string.Join(", ", values.Select(v => v.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)));

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
