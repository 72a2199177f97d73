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
/// to the last, and the analyzer process's CPU time over the same span gives events per
/// CPU-second (the machine is shared, so wall time alone says little). The mock cluster runs in a
/// process of its own, as a broker does in production, so its CPU is not the analyzer's; each run
/// is a fresh process, and with <c>--runs N</c> the medians are printed.
/// </summary>
internal static class AnalyzerKafkaThroughput
{
    // Set in the child processes that each measure one run.
    internal const string ChildVariable = "ANALYTICS_BENCH_ANALYZER_KAFKA_RUN";

    public static async Task<int> RunAsync(string[] args) =>
        Environment.GetEnvironmentVariable(ChildVariable) is null ? await RunAllAsync(args) : await MeasureAsync(args);

    // Each run in a fresh process (the JIT's warm-up and the entity tables start cold every time), one after another.
    private static async Task<int> RunAllAsync(string[] args)
    {
        var runsAt = Array.IndexOf(args, "--runs");
        var runs = runsAt >= 0 && runsAt + 1 < args.Length ? int.Parse(args[runsAt + 1], CultureInfo.InvariantCulture) : 1;
        var results = new List<Dictionary<string, double>>();
        for (var run = 1; run <= runs; run++)
        {
            var start = SelfStart("analyzer-kafka", args);
            start.Environment[ChildVariable] = "1";
            // The analyzer runs with tiered compilation and TieredPGO off (src/Analyzer's project file); the
            // bench process hosts it, so each run gets the same JIT settings unless one was chosen explicitly.
            foreach (var setting in (string[])["DOTNET_TieredCompilation", "DOTNET_TieredPGO"])
            {
                if (Environment.GetEnvironmentVariable(setting) is null)
                {
                    start.Environment[setting] = "0";
                }
            }

            start.RedirectStandardOutput = true;
            using var child = Process.Start(start)!;
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("RESULT ", StringComparison.Ordinal))
                {
                    results.Add(line[7..].Split(' ').Select(p => p.Split('='))
                        .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture)));
                    continue;
                }

                Console.WriteLine(runs > 1 ? $"[run {run}] {line}" : line);
            }

            await child.WaitForExitAsync();
            if (child.ExitCode != 0)
            {
                return child.ExitCode;
            }
        }

        if (results.Count > 1)
        {
            Console.WriteLine($"{results.Count} runs, median (min-max):");
            foreach (var (key, label) in new[]
            {
                ("steady_cpu", "steady state, events per CPU-second of the analyzer's process"),
                ("steady_cpu_nojit", "steady state, the same without the tiered JIT's background thread"),
                ("whole_cpu", "whole run, events per CPU-second of the analyzer's process"),
                ("steady_wall", "steady state, events per second of wall time"),
                ("whole_wall", "whole run, events per second of wall time"),
                ("load", "load average (1 min) at the end of each run"),
            })
            {
                var values = results.Select(r => r[key]).Order().ToArray();
                var median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
                var format = key == "load" ? "0.0" : "N0";
                Console.WriteLine($"  {label}: {median.ToString(format, CultureInfo.InvariantCulture)} ({values[0].ToString(format, CultureInfo.InvariantCulture)}-{values[^1].ToString(format, CultureInfo.InvariantCulture)})");
            }
        }

        return 0;
    }

    private static async Task<int> MeasureAsync(string[] args)
    {
        var count = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var withModel = !args.Contains("--no-model");
        // The default mix (4,000 browsing users) yields 131,344 events; --users makes a longer run, where the JIT's warm-up weighs less.
        var usersAt = Array.IndexOf(args, "--users");
        var users = usersAt >= 0 && usersAt + 1 < args.Length ? int.Parse(args[usersAt + 1], CultureInfo.InvariantCulture) : 4000;
        var events = TrafficGenerator.Generate(new TrafficOptions { Seed = 77, BrowsingUsers = users, NatGroups = 6, BatchIntegrations = 4, AttackersPerClass = 4 })
            .Select(e => e.Event).Take(count).ToList();
        // --cluster-in-process: the earlier measurement, broker threads counted as the analyzer's CPU.
        using var cluster = new SeparateMockCluster(inProcess: args.Contains("--cluster-in-process"));
        var topics = UniqueTopics.Named("bench");
        // The target is what reached the broker: a message the producer dropped would never be consumed.
        var total = await ProduceAsync(cluster.BootstrapServers, topics, events);
        Console.WriteLine($"{total:N0} of {events.Count:N0} events produced to {cluster.BootstrapServers} ({cluster.Where}); model {(withModel ? "on" : "off")}");

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var settings = MockCluster.StreamSettings(cluster.BootstrapServers, topics, "bench-analyzer");
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
            var clusterCpu0 = cluster.Cpu;
            var from = pipeline.Events;
            var clock = Stopwatch.StartNew();
            // Polled every 50 ms: the waiting itself (timer, pool wake-ups) is in the process CPU being measured.
            // The first 40 % warm the JIT (tier-0, then optimised code) and the entity tables; the rest is the steady state.
            var warm = from + (long)((total - from) * 0.4);
            while (pipeline.Events < warm)
            {
                Check(deadline);
                await Task.Delay(50);
            }

            process.Refresh();
            var cpuWarm = process.TotalProcessorTime;
            var threadsWarm = ThreadCpu.Read();
            var atWarm = pipeline.Events;
            var wallWarm = clock.Elapsed;
            while (pipeline.Events < total)
            {
                Check(deadline);
                await Task.Delay(50);
            }

            clock.Stop();
            process.Refresh();
            var threadsEnd = ThreadCpu.Read();
            var cpu = process.TotalProcessorTime - cpu0;
            var n = total - from;
            var steady = total - atWarm;
            var steadyCpu = process.TotalProcessorTime - cpuWarm;
            var steadyWall = clock.Elapsed - wallWarm;
            var load = LoadAverage();
            var threads = ThreadCpu.ByName(threadsWarm, threadsEnd);
            // The tiered JIT's background compiler is warm-up that a 131,344-event run does not outlast; shown apart.
            var jitMs = threads.GetValueOrDefault(".NET Tiered Com");
            var steadyNoJit = steady / (steadyCpu.TotalSeconds - jitMs / 1000);
            Console.WriteLine($"analyzer over the mock cluster: {n:N0} events in {clock.Elapsed.TotalSeconds:0.00} s wall = {n / clock.Elapsed.TotalSeconds:N0} events/s; "
                + $"{cpu.TotalSeconds:0.00} s CPU of the analyzer's process = {n / cpu.TotalSeconds:N0} events per CPU-second; load average {load:0.00}");
            Console.WriteLine($"  steady state (the last {steady:N0} events, after the JIT's warm-up): {steadyCpu.TotalSeconds:0.00} s CPU = {steady / steadyCpu.TotalSeconds:N0} events per CPU-second, "
                + $"{steady / steadyWall.TotalSeconds:N0} events/s wall; DOTNET_TieredCompilation={Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? "(default, on)"}, DOTNET_TieredPGO={Environment.GetEnvironmentVariable("DOTNET_TieredPGO") ?? "(default, on)"}");
            Console.WriteLine($"  {cluster.Where}: {(cluster.Cpu - clusterCpu0).TotalSeconds:0.00} s CPU over the whole run{(cluster.Cpu == TimeSpan.Zero ? " (in this process, counted above)" : ", not counted above")}");
            Console.WriteLine("  steady state CPU by thread (ms):" + ThreadCpu.Describe(threads, steadyCpu)
                + $"; without the tiered JIT's thread {steadyNoJit:N0} events per CPU-second");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT whole_cpu={n / cpu.TotalSeconds:0} steady_cpu={steady / steadyCpu.TotalSeconds:0} steady_cpu_nojit={steadyNoJit:0} whole_wall={n / clock.Elapsed.TotalSeconds:0} steady_wall={steady / steadyWall.TotalSeconds:0} load={load:0.00}"));
        }
        finally
        {
            await app.StopAsync();
        }

        return 0;
    }

    /// <summary>This bench started again in another <paramref name="mode"/>.</summary>
    internal static ProcessStartInfo SelfStart(string mode, IEnumerable<string> args)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // Started as `dotnet Analytics.Bench.dll`: the child needs the assembly too.
            start.ArgumentList.Add(typeof(AnalyzerKafkaThroughput).Assembly.Location);
        }

        start.ArgumentList.Add(mode);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }

    private static async Task<long> ProduceAsync(string servers, KafkaTopicNames topics, List<RequestEvent> events)
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

        return producer.Published;
    }

    private static void Check(Stopwatch deadline)
    {
        if (deadline.Elapsed > TimeSpan.FromMinutes(10))
        {
            throw new TimeoutException("benchmark did not complete in 10 minutes");
        }
    }

    private static double LoadAverage() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;
}
