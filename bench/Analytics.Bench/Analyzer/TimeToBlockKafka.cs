using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Analytics.Analyzer.Decisions;
using Analytics.Bench.Kafka;
using Analytics.Messaging;
using Analytics.Sidecar.Enforcement;
using Analytics.Standalone;
using Analytics.Tests.Shared;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Bench.Analyzer;

/// <summary>
/// Measured mode: time to block over Kafka, wall clock. The Standalone host with the demo runs
/// over librdkafka's mock cluster (<c>Streams:Transport=Kafka</c>, in this process), and N
/// brute-force attackers, each from its own loopback address, fail logins until the sidecar
/// answers 403. Per attacker: from the response to the request that crossed the rule's threshold
/// (the request whose trace id the decision's evidence names) to the first 403, with the
/// timestamps along the way: event handed to the producer and decision handed to the producer
/// (Kafka CreateTime), decision made (the analyzer's decision span), decision applied by the
/// sidecar (its decision store, polled every millisecond).
/// </summary>
internal static class TimeToBlockKafka
{
    private const int Threshold = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var attackers = Option(args, "--attackers", 50);
        var staggerMs = Option(args, "--stagger-ms", 300);
        var paceMs = Option(args, "--pace-ms", 25);
        var idleSeconds = Option(args, "--idle-seconds", 0);
        var extra = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var a in args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)))
        {
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            extra[a[2..eq]] = a[(eq + 1)..];
        }

        using var cluster = new MockCluster(brokers: 3);
        var topics = UniqueTopics.Named("ttb");
        await CreateTopicsAsync(cluster.BootstrapServers, topics);
        var data = Directory.CreateTempSubdirectory("analytics-ttb-").FullName;
        var made = new ConcurrentDictionary<string, DateTime>(StringComparer.Ordinal);
        using var spans = new ActivityListener
        {
            ShouldListenTo = s => s.Name == DecisionTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            // Tags are set after the start; the start time is the moment the outcome was published.
            ActivityStopped = a =>
            {
                if (a.GetTagItem("analytics.decision.id") is string id)
                {
                    made[id] = a.StartTimeUtc;
                }
            },
        };
        ActivitySource.AddActivityListener(spans);

        var overrides = cluster.StreamSettings(topics, "ttb");
        overrides["Kestrel:Endpoints:Proxy:Url"] = "http://127.0.0.1:0";
        overrides["Sidecar:Admin:Url"] = "http://127.0.0.1:0";
        overrides["Sidecar:Admin:Token"] = "time-to-block-bench-token";
        overrides["Demo:UpstreamUrl"] = "http://127.0.0.1:0";
        overrides["Streams:InProcess:DataDirectory"] = data;
        foreach (var (key, value) in extra)
        {
            overrides[key] = value;
        }

        var process = Process.GetCurrentProcess();
        var rebalances = new RebalanceRecorder();
        StandaloneHost host;
        try
        {
            host = await StandaloneHost.StartAsync([], new StandaloneSettings
            {
                Demo = true,
                Overrides = overrides,
                ConfigureBuilder = b =>
                {
                    b.Logging.ClearProviders();
                    b.Logging.AddProvider(rebalances);
                },
            });
        }
        catch
        {
            Directory.Delete(data, recursive: true);
            throw;
        }

        var results = new List<BruteForcer>();
        try
        {
            await using (host)
            {
                using var admin = LoopbackClient.Create(host.AdminUrl);
                admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "time-to-block-bench-token");
                await Until(async () => (await admin.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the sidecar to be ready");
                var store = host.App.Services.GetRequiredService<DecisionStore>();
                using var stop = new CancellationTokenSource();
                var watched = new ConcurrentDictionary<string, BruteForcer>(StringComparer.Ordinal);
                var watcher = new Thread(() => WatchStore(store, watched, stop.Token)) { IsBackground = true, Name = "ttb-store-watch" };
                watcher.Start();

                // The first attacker also waits out the analyzer joining its consumer group; not counted.
                if (idleSeconds > 0)
                {
                    // What the consumers' empty fetches cost while no traffic flows (the mock brokers run in this process too).
                    process.Refresh();
                    var idle0 = process.TotalProcessorTime;
                    await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
                    process.Refresh();
                    Console.WriteLine($"idle: {(process.TotalProcessorTime - idle0).TotalMilliseconds / idleSeconds:0} ms of process CPU per second with no traffic; load average {LoadAverage()}");
                }

                var ready = DateTime.UtcNow;
                var warm = new BruteForcer("127.0.99.1", "warm-up");
                watched[warm.Address] = warm;
                await warm.RunAsync(host.ProxyUrl, paceMs, TimeSpan.FromSeconds(90));
                Console.WriteLine(warm.FirstForbidden == default
                    ? "warm-up attacker (the first after start, not counted) was never blocked"
                    : $"warm-up attacker (the first after start, not counted): first 403 {(warm.FirstForbidden - warm.Responses[Math.Min(Threshold, warm.Responses.Count) - 1]).TotalSeconds:0.000} s after its {Threshold}th response");

                var cpu0 = process.TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                var runs = new List<Task>();
                for (var i = 0; i < attackers; i++)
                {
                    // Each attacker in its own /24 and with its own user name, so only the per-address rule applies.
                    var attacker = new BruteForcer($"127.0.{100 + (i % 150)}.{10 + (i / 150)}", $"victim-{i}");
                    results.Add(attacker);
                    watched[attacker.Address] = attacker;
                    runs.Add(attacker.RunAsync(host.ProxyUrl, paceMs, TimeSpan.FromSeconds(60)));
                    await Task.Delay(staggerMs);
                }

                await Task.WhenAll(runs);
                wall.Stop();
                process.Refresh();
                var cpu = process.TotalProcessorTime - cpu0;
                await stop.CancelAsync();
                watcher.Join();
                await ReadTimestampsAsync(cluster.BootstrapServers, topics, results);
                Report(results, made, cpu, wall.Elapsed, overrides);
                var during = rebalances.Changes.Where(c => c.At >= ready).ToList();
                Console.WriteLine($"  consumer-group changes after the sidecar was ready: {during.Count}");
                foreach (var (at, line) in during)
                {
                    Console.WriteLine($"    {at:HH:mm:ss.fff} {line}");
                }
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }

        return 0;
    }

    private static void WatchStore(DecisionStore store, ConcurrentDictionary<string, BruteForcer> watched, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var a in watched.Values)
            {
                if (a.Applied == default && store.CheckIp(a.Ip).Enforced is not null)
                {
                    a.Applied = DateTime.UtcNow;
                }
            }

            Thread.Sleep(1);
        }
    }

    /// <summary>Reads both topics from the beginning once the run is over: CreateTime of each attacker's events and decisions.</summary>
    private static async Task ReadTimestampsAsync(string servers, KafkaTopicNames topics, List<BruteForcer> attackers)
    {
        var byAddress = attackers.ToDictionary(a => a.Address, StringComparer.Ordinal);
        await Task.Run(() =>
        {
            foreach (var (topic, isDecisions) in new[] { (topics.Requests, false), (topics.Decisions, true) })
            {
                using var consumer = new ConsumerBuilder<string?, byte[]?>(new ConsumerConfig
                {
                    BootstrapServers = servers,
                    GroupId = "ttb-reader-" + Guid.NewGuid().ToString("N"),
                    EnableAutoCommit = false,
                    EnablePartitionEof = true,
                    FetchWaitMaxMs = 10,
                }).SetLogHandler((_, _) => { }).Build();
                using var meta = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers }).SetLogHandler((_, _) => { }).Build();
                var partitions = meta.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Select(p => p.PartitionId).ToList();
                consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
                var open = partitions.Count;
                var deadline = Stopwatch.StartNew();
                while (open > 0 && deadline.Elapsed < TimeSpan.FromSeconds(60))
                {
                    var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
                    if (r is null)
                    {
                        continue;
                    }

                    if (r.IsPartitionEOF)
                    {
                        open--;
                        continue;
                    }

                    if (r.Message.Value is not { } value)
                    {
                        continue;
                    }

                    var at = r.Message.Timestamp.UtcDateTime;
                    if (isDecisions)
                    {
                        var d = MessageSchema.Deserialize(value, Streams.Decisions);
                        if (byAddress.TryGetValue(d.Value, out var a) && a.DecisionId is null)
                        {
                            a.DecisionId = d.Id;
                            a.DecisionTraceId = d.Evidence?.TraceId;
                            a.DecisionProduced = at;
                        }
                    }
                    else
                    {
                        var e = MessageSchema.Deserialize(value, Streams.Requests);
                        if (byAddress.TryGetValue(e.ClientIp, out var a))
                        {
                            a.Events.Add((e.TraceId, e.Status, at));
                        }
                    }
                }
            }
        });
    }

    private static void Report(List<BruteForcer> attackers, ConcurrentDictionary<string, DateTime> made, TimeSpan cpu, TimeSpan wall, Dictionary<string, string?> settings)
    {
        var rows = new List<Row>();
        foreach (var a in attackers)
        {
            if (a.FirstForbidden == default)
            {
                Console.WriteLine($"{a.Address}: never blocked ({a.Responses.Count} requests)");
                continue;
            }

            // The crossing request: the one whose trace id the decision names; its position among the
            // attacker's events (one partition per address, so in order) is its position among the responses.
            var k = a.Events.FindIndex(e => e.TraceId is not null && e.TraceId == a.DecisionTraceId);
            var byEvidence = k >= 0;
            if (!byEvidence)
            {
                // Fallback: the request whose 401 was the threshold's (BruteForce:Failures1m) failure.
                k = a.Events.Select((e, i) => (e, i)).Where(x => x.e.Status == 401).Skip(Threshold - 1).Select(x => x.i).DefaultIfEmpty(Threshold - 1).First();
            }

            if (k >= a.Responses.Count)
            {
                Console.WriteLine($"{a.Address}: crossing request #{k + 1} beyond its {a.Responses.Count} responses");
                continue;
            }

            var crossed = a.Responses[k];
            made.TryGetValue(a.DecisionId ?? "", out var madeAt);
            rows.Add(new Row(a, k + 1, byEvidence, crossed, k < a.Events.Count ? a.Events[k].ProducedAt : default, madeAt));
        }

        rows.Sort((x, y) => x.Total.CompareTo(y.Total));
        var totals = rows.Select(r => r.Total.TotalSeconds).ToList();
        Console.WriteLine();
        Console.WriteLine($"time to block over Kafka, {rows.Count} of {attackers.Count} attackers measured ({rows.Count(r => r.ByEvidence)} crossing requests named by the decision's evidence):");
        Console.WriteLine($"  median {Pct(totals, 0.50):0.000} s, p95 {Pct(totals, 0.95):0.000} s, p99 {Pct(totals, 0.99):0.000} s, max {(totals.Count > 0 ? totals[^1] : double.NaN):0.000} s");
        Console.WriteLine($"  crossing request: #{string.Join(",", rows.Select(r => r.Crossing).Distinct().Order())} of the attacker's requests; blocked before the threshold: {rows.Count(r => r.Total < TimeSpan.Zero)}");
        Console.WriteLine($"  process CPU {cpu.TotalSeconds:0.00} s over {wall.TotalSeconds:0.0} s wall (sidecar, analyzer, alerts, mock cluster and clients); load average {LoadAverage()}");
        var tuned = settings.Where(kv => kv.Key.StartsWith("Streams:Kafka:Librdkafka", StringComparison.Ordinal) || kv.Key.Contains("FetchWait", StringComparison.Ordinal)
            || kv.Key.Contains("Linger", StringComparison.Ordinal)).Select(kv => $"{kv.Key}={kv.Value}");
        Console.WriteLine($"  settings: {string.Join(" ", tuned.DefaultIfEmpty("(defaults)"))}");
        Console.WriteLine();
        Console.WriteLine("  the slowest and a few others, hops in ms: response->event produced | event->decision made (delivery, fetch, analyzer) | made->produced | produced->applied (delivery, sidecar fetch) | applied->403 (client pace)");
        var show = rows.Count <= 12 ? rows : [.. rows.Take(3), .. rows.Skip(rows.Count / 2 - 1).Take(2), .. rows.TakeLast(7)];
        foreach (var r in show)
        {
            Console.WriteLine($"  {r.Attacker.Address,-15} total {r.Total.TotalMilliseconds,6:0} | {Ms(r.Crossed, r.Produced),5} | {Ms(r.Produced, r.Made),6} | {Ms(r.Made, r.Attacker.DecisionProduced),4} | {Ms(r.Attacker.DecisionProduced, r.Attacker.Applied),6} | {Ms(r.Attacker.Applied, r.Attacker.FirstForbidden),5}");
        }

        static string Ms(DateTime from, DateTime to) => from == default || to == default ? "?" : (to - from).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
    }

    private static double Pct(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private sealed record Row(BruteForcer Attacker, int Crossing, bool ByEvidence, DateTime Crossed, DateTime Produced, DateTime Made)
    {
        public TimeSpan Total => Attacker.FirstForbidden - Crossed;
    }

    /// <summary>The mock cluster has no CreateTopics; a first message (a tombstone, which every consumer skips) creates each topic.</summary>
    private static async Task CreateTopicsAsync(string servers, KafkaTopicNames t)
    {
        using var producer = new ProducerBuilder<string, byte[]?>(new ProducerConfig { BootstrapServers = servers }).SetLogHandler((_, _) => { }).Build();
        foreach (var topic in new[] { t.Requests, t.Requests + ".by-entity", t.Decisions, t.Alerts, t.DeadLetter })
        {
            await producer.ProduceAsync(topic, new Message<string, byte[]?> { Key = "topic-warm-up", Value = null });
        }
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("gave up waiting for " + what);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
