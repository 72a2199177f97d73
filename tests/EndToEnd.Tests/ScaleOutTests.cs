using System.Collections.Concurrent;
using Analytics.Analyzer;
using Analytics.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Analytics.EndToEnd.Tests;

/// <summary>
/// Analyzer instances in one consumer group on librdkafka's mock cluster: the requests stream is
/// keyed by client IP, so a botnet in one /24 and an API key used from 20 addresses are spread over
/// the partitions; with the second stage (re-keying into requests-by-entity), three instances make
/// exactly the decisions one instance makes, each once.
/// </summary>
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Three_instances_in_one_group_make_the_decisions_of_one_each_once()
    {
        using var cluster = new MockKafkaCluster();
        var one = await RunAsync(cluster, "scale-one", instances: 1);
        var three = await RunAsync(cluster, "scale-three", instances: 3);

        output.WriteLine("one instance:    " + string.Join(", ", one));
        output.WriteLine("three instances: " + string.Join(", ", three));
        Assert.All(Expected, d => Assert.Contains(d, one));
        Assert.Equal(one.Distinct().Count(), one.Count);
        Assert.Equal(one.Order(), three.Order());
        Assert.DoesNotContain(one, d => d.StartsWith("ip:", StringComparison.Ordinal));
    }

    /// <summary>Starts the instances, waits for the group to settle, sends the attack, and returns the decisions as "key source".</summary>
    private async Task<List<string>> RunAsync(MockKafkaCluster cluster, string name, int instances)
    {
        var options = cluster.Options(name);
        var logs = new PartitionLog();
        await CreateTopicsAsync(options);
        var hosts = new List<WebApplication>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        try
        {
            for (var i = 0; i < instances; i++)
            {
                var builder = WebApplication.CreateBuilder();
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                foreach (var (key, value) in new Dictionary<string, string?>(MockKafkaCluster.Settings(options))
                {
                    // The test's appsettings are the Standalone's: keep its proxy port off 8080.
                    ["Kestrel:Endpoints:Proxy:Url"] = "http://127.0.0.1:0",
                    ["Streams:Kafka:ClientId"] = $"{name}-{i}",
                    ["Analyzer:Stages"] = "two",
                    ["Analyzer:Model:Enabled"] = "false",
                    ["Analyzer:Hangfire:Enabled"] = "false",
                    // API keys are opt-in: one key is often shared by many clients.
                    ["Analyzer:Rules:Injection:Scopes"] = "ip,api_key",
                })
                {
                    builder.Configuration[key] = value;
                }

                var instance = i;
                builder.Logging.AddProvider(new PartitionLogProvider(logs, instance));
                builder.AddAnalyzer();
                var app = builder.Build();
                app.UseAnalyzer();
                hosts.Add(app);
                await app.StartAsync(timeout.Token);
            }

            // Produce only once every instance holds partitions of both stages: a rebalance in the
            // middle would drop windows, which is another test's subject (RebalanceTests).
            try
            {
                await Eventually(() => logs.Settled(instances), $"{instances} instances to hold partitions of both stages", timeout.Token);
            }
            catch (TimeoutException)
            {
                output.WriteLine(string.Join("\n", logs.Lines));
                throw;
            }

            output.WriteLine($"{name}: {logs}");

            var transport = hosts[0].Services.GetRequiredService<IStreamTransport>();
            using var decisions = transport.CreateGroupConsumer(Streams.Decisions, "test-" + name);
            var requests = transport.GetProducer(Streams.Requests);
            foreach (var e in Attack().OrderBy(e => e.Timestamp))
            {
                await requests.PublishAsync(e.ClientIp, e, timeout.Token);
            }

            var seen = new List<string>();
            while (true)
            {
                // After the expected decisions, read on until the stream has been quiet for a few seconds: duplicates would show up here.
                var quiet = Expected.All(seen.Contains) ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(60);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                wait.CancelAfter(quiet);
                try
                {
                    var d = await decisions.ReadAsync(wait.Token);
                    if (d.Value is { } decision)
                    {
                        seen.Add($"{decision.Key} {decision.Source}");
                        output.WriteLine($"{name}: decision {decision.Key} {decision.Source}");
                    }

                    decisions.Commit(d);
                }
                catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
                {
                    return seen;
                }
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync(CancellationToken.None);
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>24 addresses of one /24 with two failed logins each on new identifiers, and one API key probing for injection from 20 addresses: no address alone crosses a threshold.</summary>
    private static readonly string[] Expected = ["cidr:185.220.0.0/24 rule:credential_stuffing", "api_key:partner-key rule:injection"];

    private static IEnumerable<RequestEvent> Attack()
    {
        var n = 0;
        for (var round = 0; round < 2; round++)
        {
            for (var b = 0; b < 24; b++)
            {
                yield return new RequestEvent
                {
                    // Everything within the 30 s late tolerance: the instances' first stages re-key at their own pace.
                    Timestamp = T0.AddSeconds((round * 12) + (b * 0.5)),
                    RequestId = $"bot-{n}",
                    ClientIp = $"185.220.0.{10 + b}",
                    Method = "POST",
                    RouteId = "login",
                    PathTemplate = "/api/login",
                    Path = "/api/login",
                    Status = 401,
                    Auth = new AuthInfo(AuthOutcomes.Failure, "invalid_credentials"),
                    LoginHash = $"leaked-{n++}",
                };
            }
        }

        // The key's probes arrive in whatever order the instances' first stages re-key them, so the
        // scenario uses a count (inspection findings), which no reordering within the late tolerance changes.
        for (var k = 0; k < 40; k++)
        {
            yield return new RequestEvent
            {
                Timestamp = T0.AddMinutes(10).AddMilliseconds(k * 500),
                RequestId = $"key-{k}",
                ClientIp = $"198.51.100.{1 + (k % 20)}",
                Method = "GET",
                RouteId = "items",
                PathTemplate = "/api/items/{id}",
                Path = $"/api/items/{1 + k}",
                Status = 403,
                Principal = new PrincipalInfo(PrincipalKinds.ApiKey, "partner-key"),
                Auth = new AuthInfo(AuthOutcomes.Success, null),
                Inspection = new InspectionInfo { Score = 8, Action = "block", Rules = ["sqli-001"], Categories = ["sqli"] },
                UserAgent = "PartnerSync/1.0",
            };
        }
    }

    /// <summary>The mock cluster creates topics on first produce, not through the admin API: one harmless event on each stage's topic.</summary>
    private static async Task CreateTopicsAsync(KafkaStreamsOptions options)
    {
        await using var transport = new Analytics.Messaging.Kafka.KafkaTransport(options);
        var warmUp = new RequestEvent
        {
            Timestamp = T0.AddHours(-1),
            RequestId = "warm-up",
            ClientIp = "192.0.2.1",
            Method = "GET",
            RouteId = "status",
            PathTemplate = "/api/status",
            Path = "/api/status",
            Status = 200,
        };
        await transport.GetProducer(Streams.Requests).PublishAsync(warmUp.ClientIp, warmUp);
        await transport.GetProducer(Streams.RequestsByEntity).PublishAsync("route:/api/status", warmUp);
    }

    private static async Task Eventually(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>Which instance holds partitions of which stage, from the workers' assignment logs.</summary>
    private sealed class PartitionLog
    {
        private readonly ConcurrentDictionary<(int Instance, string Stream), bool> _held = new();

        public ConcurrentQueue<string> Lines { get; } = new();

        public void Record(int instance, string message)
        {
            Lines.Enqueue($"{instance}: {message}");
            var stream = message.Contains("requests-by-entity", StringComparison.Ordinal) ? "by-entity" : "requests";
            if (message.Contains(" assigned", StringComparison.Ordinal))
            {
                _held[(instance, stream)] = !message.StartsWith("0 ", StringComparison.Ordinal);
            }
            else if (message.Contains("revoked", StringComparison.Ordinal))
            {
                _held[(instance, stream)] = false;
            }
        }

        public bool Settled(int instances) =>
            Enumerable.Range(0, instances).All(i => _held.GetValueOrDefault((i, "requests")) && _held.GetValueOrDefault((i, "by-entity")));

        public override string ToString() => string.Join("; ", _held.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key.Instance}/{kv.Key.Stream}={kv.Value}"));
    }

    private sealed class PartitionLogProvider(PartitionLog log, int instance) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) =>
            new Logger(log, instance);

        public void Dispose()
        {
        }

        private sealed class Logger(PartitionLog log, int instance) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Record(instance, formatter(state, exception));
        }
    }
}
