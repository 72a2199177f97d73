using System.Diagnostics;
using Analytics.Messaging;
using Analytics.Messaging.Kafka;

namespace Analytics.Bench.Kafka;

/// <summary>
/// Measured mode (not BenchmarkDotNet: a mock cluster and a background drain loop do not fit its
/// per-invocation model). Runs against librdkafka's mock cluster on loopback, so the figures are
/// the client path's cost (serialization, buffering, librdkafka, protocol), not a real broker's disk.
/// </summary>
internal static class KafkaThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        using var cluster = new MockCluster(brokers: 3);
        Console.WriteLine($"mock cluster {cluster.BootstrapServers}; {events} events per round, {rounds} rounds; {Environment.ProcessorCount} cores");

        for (var round = 1; round <= rounds; round++)
        {
            var options = new KafkaStreamsOptions
            {
                BootstrapServers = cluster.BootstrapServers,
                ClientId = "bench",
                RequestsBufferCapacity = events,
                Topics = new KafkaTopicNames
                {
                    Requests = $"bench.requests.{round}.{Guid.NewGuid():N}",
                    Decisions = $"bench.decisions.{Guid.NewGuid():N}",
                    Alerts = $"bench.alerts.{Guid.NewGuid():N}",
                    DeadLetter = $"bench.deadletter.{Guid.NewGuid():N}",
                },
            };
            await using var transport = new KafkaTransport(options);
            var producer = transport.ProducerFor(Streams.Requests);

            // Warm up the connection and create the topic outside the measurement.
            producer.TryPublish("warmup", Sample(-1));
            await WaitAsync(() => producer.Published == 1);

            var samples = Enumerable.Range(0, events).Select(Sample).ToArray();
            var total = Stopwatch.StartNew();
            var calls = Stopwatch.StartNew();
            foreach (var e in samples)
            {
                producer.TryPublish(e.ClientIp, e);
            }

            calls.Stop();
            await WaitAsync(() => producer.Published + producer.Dropped == events + 1);
            total.Stop();
            Report(round, "produce  TryPublish→acked", events, total.Elapsed, $"TryPublish {calls.Elapsed.TotalNanoseconds / events:F0} ns/call, dropped {producer.Dropped}");

            using var consumer = transport.CreateGroupConsumer(Streams.Requests, "bench-" + Guid.NewGuid());
            var first = await consumer.ReadAsync(CancellationToken.None); // waits for the group join
            consumer.Commit(first);
            var read = Stopwatch.StartNew();
            for (var i = 0; i < events; i++)
            {
                consumer.Commit(await consumer.ReadAsync(CancellationToken.None));
            }

            read.Stop();
            Report(round, "consume  read+commit     ", events, read.Elapsed, "");
        }

        return 0;
    }

    private static void Report(int round, string what, int events, TimeSpan elapsed, string extra) =>
        Console.WriteLine($"round {round} {what}: {events / elapsed.TotalSeconds,10:N0} events/s ({elapsed.TotalMilliseconds:N0} ms) {extra}");

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("benchmark did not complete in 5 minutes");
            }

            await Task.Delay(1);
        }
    }

    internal static RequestEvent Sample(int i) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        RequestId = "req-" + i,
        TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
        Instance = "sidecar-bench",
        Service = "shop",
        ClientIp = "198.51.100." + (i & 0xff),
        Principal = new PrincipalInfo(PrincipalKinds.ApiKey, "demo-reader"),
        Method = "GET",
        RouteId = "items",
        PathTemplate = "/api/items/{id}",
        Path = "/api/items/" + (i % 1000),
        Status = 200,
        BytesIn = 0,
        BytesOut = 512,
        DurationMs = 3.2,
        UpstreamMs = 2.9,
        UserAgent = "bench/1.0",
        Auth = new AuthInfo(AuthOutcomes.Success, null),
        RateLimit = new RateLimitInfo("allowed", "authenticated"),
        Catalog = "documented",
    };
}
