using System.Diagnostics;
using System.Net;
using System.Text;
using Analytics.Tests.Shared;

namespace Analytics.Bench.Analyzer;

/// <summary>One brute forcer of <see cref="TimeToBlockKafka"/>: failed logins from its own loopback address at a fixed pace until the first 403.</summary>
internal sealed class BruteForcer(string address, string user)
{
    public string Address { get; } = address;
    public IPAddress Ip { get; } = IPAddress.Parse(address);
    public List<DateTime> Responses { get; } = [];
    public DateTime FirstForbidden { get; private set; }
    public DateTime Applied { get; set; }
    public List<(string? TraceId, int Status, DateTime ProducedAt)> Events { get; } = [];
    public string? DecisionId { get; set; }
    public string? DecisionTraceId { get; set; }
    public DateTime DecisionProduced { get; set; }

    public async Task RunAsync(string proxyUrl, int paceMs, TimeSpan limit)
    {
        using var client = LoopbackClient.Create(proxyUrl, Address);
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < limit; i++)
        {
            var next = clock.Elapsed + TimeSpan.FromMilliseconds(paceMs);
            using var response = await client.PostAsync("/api/login", new StringContent(
                $$"""{"username":"{{user}}","password":"guess-{{i}}"}""", Encoding.UTF8, "application/json"));
            var now = DateTime.UtcNow;
            Responses.Add(now);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                FirstForbidden = now;
                return;
            }

            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }
    }
}
