using System.Diagnostics;
using System.Globalization;
using Analytics.Analyzer;
using Analytics.Detection;
using Analytics.Traffic;
using Analytics.Bench.Kafka;
using Analytics.Messaging;
using Analytics.Messaging.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Bench.Analyzer;

/// <summary>
/// Measured mode: the analyzer host (one instance, one stage) consuming generated traffic from
/// librdkafka's mock cluster: fetch, deserialise, features, rules, model, decisions, offset
/// store and commit. The events are produced first; the clock runs from the first consumed event
/// to the last, and the process CPU time over the same span gives events per CPU-second (the
/// machine is shared, so wall time alone says little).
/// </summary>
internal static class AnalyzerKafkaThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        // The analyzer runs with TieredPGO off (src/Analyzer's project file); the bench process hosts
        // it, so it re-runs itself under the same JIT setting unless one was chosen explicitly.
        if (Environment.GetEnvironmentVariable("DOTNET_TieredPGO") is null && Environment.ProcessPath is { } self)
        {
            var start = new ProcessStartInfo(self) { UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                // Started as `dotnet Analytics.Bench.dll`: the child needs the assembly too.
                start.ArgumentList.Add(typeof(AnalyzerKafkaThroughput).Assembly.Location);
            }

            start.ArgumentList.Add("analyzer-kafka");
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["DOTNET_TieredPGO"] = "0";
            using var child = Process.Start(start)!;
            await child.WaitForExitAsync();
            return child.ExitCode;
        }

        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var withModel = !args.Contains("--no-model");
        // The default mix (4,000 browsing users) yields 131,344 events; --users makes a longer run, where the JIT's warm-up weighs less.
        var usersAt = Array.IndexOf(args, "--users");
        var users = usersAt > 0 && usersAt + 1 < args.Length ? int.Parse(args[usersAt + 1], CultureInfo.InvariantCulture) : 4000;
        var events = TrafficGenerator.Generate(new TrafficOptions { Seed = 77, BrowsingUsers = users, NatGroups = 6, BatchIntegrations = 4, AttackersPerClass = 4 })
            .Select(e => e.Event).Take(count).ToList();
        using var cluster = new MockCluster(brokers: 1);
        var suffix = Guid.NewGuid().ToString("N");
        var topics = new KafkaTopicNames
        {
            Requests = "bench.requests." + suffix,
            Decisions = "bench.decisions." + suffix,
            Alerts = "bench.alerts." + suffix,
            DeadLetter = "bench.deadletter." + suffix,
        };
        await ProduceAsync(cluster.BootstrapServers, topics, events);
        Console.WriteLine($"{events.Count:N0} events produced to {cluster.BootstrapServers}; model {(withModel ? "on" : "off")}");

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var settings = cluster.StreamSettings(topics, "bench-analyzer");
        settings["Analyzer:Stages"] = "one";
        settings["Analyzer:Model:Enabled"] = withModel ? "true" : "false";
        settings["Analyzer:Hangfire:Enabled"] = "false";
        settings["Search:Enabled"] = "false";
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.AddAnalyzer();
        await using var app = builder.Build();
        app.UseAnalyzer();
        var pipeline = app.Services.GetRequiredService<AnalyzerPipeline>();
        await app.StartAsync();
        try
        {
            var deadline = Stopwatch.StartNew();
            while (pipeline.Events == 0)
            {
                Check(deadline);
                await Task.Delay(1);
            }

            var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            var from = pipeline.Events;
            var clock = Stopwatch.StartNew();
            // Polled every 50 ms: the waiting itself (timer, pool wake-ups) is in the process CPU being measured.
            // The first 40 % warm the JIT (tier-0, then optimised code) and the entity tables; the rest is the steady state.
            var warm = from + (long)((events.Count - from) * 0.4);
            while (pipeline.Events < warm)
            {
                Check(deadline);
                await Task.Delay(50);
            }

            process.Refresh();
            var cpuWarm = process.TotalProcessorTime;
            var atWarm = pipeline.Events;
            var wallWarm = clock.Elapsed;
            while (pipeline.Events < events.Count)
            {
                Check(deadline);
                await Task.Delay(50);
            }

            clock.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpu0;
            var n = events.Count - from;
            var steady = events.Count - atWarm;
            var steadyCpu = process.TotalProcessorTime - cpuWarm;
            Console.WriteLine($"analyzer over the mock cluster: {n:N0} events in {clock.Elapsed.TotalSeconds:0.00} s wall = {n / clock.Elapsed.TotalSeconds:N0} events/s; "
                + $"{cpu.TotalSeconds:0.00} s CPU (all threads, librdkafka's included) = {n / cpu.TotalSeconds:N0} events per CPU-second; load average {LoadAverage()}");
            Console.WriteLine($"  steady state (the last {steady:N0} events, after the JIT's warm-up): {steadyCpu.TotalSeconds:0.00} s CPU = {steady / steadyCpu.TotalSeconds:N0} events per CPU-second, "
                + $"{steady / (clock.Elapsed - wallWarm).TotalSeconds:N0} events/s wall; DOTNET_TieredPGO={Environment.GetEnvironmentVariable("DOTNET_TieredPGO") ?? "(default, on)"}");
        }
        finally
        {
            await app.StopAsync();
        }

        return 0;
    }

    private static async Task ProduceAsync(string servers, KafkaTopicNames topics, List<RequestEvent> events)
    {
        await using var transport = new KafkaTransport(new KafkaStreamsOptions
        {
            BootstrapServers = servers,
            ClientId = "bench-producer",
            RequestsBufferCapacity = events.Count + 1,
            Topics = topics,
        });
        var producer = transport.ProducerFor(Streams.Requests);
        foreach (var e in events)
        {
            producer.TryPublish(e.ClientIp, e);
        }

        var deadline = Stopwatch.StartNew();
        while (producer.Published + producer.Dropped < events.Count)
        {
            Check(deadline);
            await Task.Delay(5);
        }
    }

    private static void Check(Stopwatch deadline)
    {
        if (deadline.Elapsed > TimeSpan.FromMinutes(10))
        {
            throw new TimeoutException("benchmark did not complete in 10 minutes");
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
