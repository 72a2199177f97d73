using System.Diagnostics.Metrics;
using Analytics.Alerts;
using Analytics.Alerts.Decisions;
using Analytics.Alerts.Routing;
using Analytics.Alerts.Stats;
using Analytics.Alerts.Templates;
using Analytics.Messaging;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Analytics.Bench.Alerts;

/// <summary>
/// Alerts per second through routing (at 1,000 alerts a second of simulated time, ticked once a second) (dedup, grouping, severity, caps) and rendering (the view,
/// Slack Block Kit, email HTML and text, webhook JSON), without I/O. One operation is one alert.
/// Run: dotnet run -c Release --project bench/Analytics.Bench -- --filter '*AlertRouting*'
/// </summary>
[MemoryDiagnoser]
// In process: no generated project to build, which on the shared 2-core machine timed out.
[InProcess]
[WarmupCount(3)]
[IterationCount(8)]
public class AlertRoutingBenchmarks
{
    private const int Alerts = 10_000;
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private Alert[] _distinct = [];
    private Alert[] _repeats = [];
    private NotificationViewBuilder _views = null!;
    private RouteChannel[] _channels = [];

    [GlobalSetup]
    public void Setup()
    {
        Alert Make(int i, int entity) => new()
        {
            Id = $"alert-{i}",
            DedupKey = $"brute_force:ip:10.{entity / 65536 % 256}.{entity / 256 % 256}.{entity % 256}",
            Type = AlertTypes.BruteForce,
            Severity = AlertSeverities.High,
            Entity = $"ip:10.{entity / 65536 % 256}.{entity / 256 % 256}.{entity % 256}",
            Title = "Brute force",
            Summary = "42 failed logins in one minute.",
            DecisionId = $"decision-{entity}",
            FirstSeen = Start,
            LastSeen = Start.AddSeconds(50),
            Evidence = new Evidence
            {
                Window = "1m",
                WindowStart = Start,
                WindowEnd = Start.AddMinutes(1),
                Features = new Dictionary<string, double> { ["auth_failures_1m"] = 42, ["requests_1m"] = 44 },
                Thresholds = new Dictionary<string, double> { ["auth_failures_1m"] = 10 },
                Explanation = "42 authentication failures within 1 minute (threshold 10).",
            },
        };

        _distinct = [.. Enumerable.Range(0, Alerts).Select(i => Make(i, i))];
        // 1,000 entities, each raising 10 times: what dedup exists for.
        _repeats = [.. Enumerable.Range(0, Alerts).Select(i => Make(i, i % 1000))];
        var options = Options.Create(new AlertsOptions { KibanaUrl = "http://kibana:5601", DecisionsAdminUrl = "http://127.0.0.1:9901" });
        _views = new NotificationViewBuilder(options, new DecisionBook(), new ServiceCollection().BuildServiceProvider());
        _channels = [new("slack", AlertSeverities.Medium, int.MaxValue), new("email", AlertSeverities.High, int.MaxValue), new("webhook", AlertSeverities.Info, int.MaxValue)];
    }

    /// <summary>Every alert new, sent alone (a group of one) and rendered for all three channels.</summary>
    [Benchmark(OperationsPerInvoke = Alerts)]
    public int Distinct_alerts_routed_and_rendered() =>
        Run(_distinct, new RoutingOptions { GroupWait = TimeSpan.Zero, GroupThreshold = 1 });

    /// <summary>Ten repeats per key within the window: one message per key, the rest folded in.</summary>
    [Benchmark(OperationsPerInvoke = Alerts)]
    public int Repeated_alerts_deduplicated() =>
        Run(_repeats, new RoutingOptions { GroupWait = TimeSpan.Zero });

    /// <summary>A burst grouped into digests of 500 (the group threshold) and rendered.</summary>
    [Benchmark(OperationsPerInvoke = Alerts)]
    public int Burst_grouped_into_digests() =>
        Run(_distinct, new RoutingOptions { GroupWait = TimeSpan.FromMinutes(1), GroupThreshold = 500 });

    private int Run(Alert[] alerts, RoutingOptions options)
    {
        var router = new AlertRouter(options, _channels, new AlertStats(new NoMeters()));
        var bytes = 0;
        var now = Start;
        for (var i = 0; i < alerts.Length; i++)
        {
            bytes += Render(router.Route(alerts[i], i, now));
            // 1,000 alerts a second; the dispatcher ticks once a second (Routing:TickInterval).
            now = now.AddMilliseconds(1);
            if (i % 1000 == 999)
            {
                bytes += Render(router.Tick(now));
            }
        }

        return bytes;
    }

    private int Render(RouteResult result)
    {
        var bytes = 0;
        foreach (var n in result.Notifications)
        {
            var view = _views.Build(n);
            bytes += SlackTemplate.Render(view).Length + EmailTemplate.Html(view).Length + EmailTemplate.Text(view).Length + WebhookTemplate.Render(n).Length;
        }

        return bytes;
    }

    private sealed class NoMeters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
