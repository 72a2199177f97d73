using System.Diagnostics.Metrics;
using Analytics.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Ingest;

public sealed class RequestStreamWorkerTests
{
    [Fact]
    public async Task Failed_logins_on_the_requests_stream_produce_a_block_decision_and_an_alert()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Analyzer:Model:Enabled"] = "false";
        builder.Configuration["Analyzer:Hangfire:Enabled"] = "false";
        builder.AddAnalyzer();
        await using var app = builder.Build();
        app.UseAnalyzer();
        var transport = app.Services.GetRequiredService<IStreamTransport>();
        using var decisions = transport.CreateGroupConsumer(Streams.Decisions, "test");
        using var alerts = transport.CreateGroupConsumer(Streams.Alerts, "test");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);

        var requests = transport.GetProducer(Streams.Requests);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(requests.TryPublish("203.0.113.7", FailedLogin("203.0.113.7", T0.AddSeconds(i))));
        }

        var decision = await decisions.ReadAsync(timeout.Token);
        Assert.Equal("ip:203.0.113.7", decision.Key);
        Assert.Equal(DecisionActions.Block, decision.Value!.Action);
        var alert = await alerts.ReadAsync(timeout.Token);
        Assert.Equal("brute_force:ip:203.0.113.7", alert.Key);
        Assert.Equal(decision.Value.Id, alert.Value!.DecisionId);
        await app.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task A_decision_names_the_triggering_requests_trace_and_the_meters_count_it_as_stats_does()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Analyzer:Model:Enabled"] = "false";
        builder.Configuration["Analyzer:Hangfire:Enabled"] = "false";
        builder.Configuration["Search:Enabled"] = "false";
        builder.AddAnalyzer();
        await using var app = builder.Build();
        app.UseAnalyzer();
        var transport = app.Services.GetRequiredService<IStreamTransport>();
        using var decisions = transport.CreateGroupConsumer(Streams.Decisions, "test");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var measured = new Dictionary<string, long>();
        using var listener = new MeterListener();
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name.StartsWith("analytics.analyzer.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + string.Concat(tags.ToArray().Select(t => $"|{t.Key}={t.Value}"));
            lock (measured)
            {
                measured[key] = value;
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + string.Concat(tags.ToArray().Select(t => $"|{t.Key}={t.Value}"));
            lock (measured)
            {
                measured[key] = value;
            }
        });
        listener.Start();
        await app.StartAsync(timeout.Token);

        var requests = transport.GetProducer(Streams.Requests);
        for (var i = 0; i < 10; i++)
        {
            // The tenth failure crosses the threshold: its trace is the one the decision names.
            requests.TryPublish("203.0.113.9", FailedLogin("203.0.113.9", T0.AddSeconds(i)) with { TraceId = i == 9 ? traceId : null });
        }

        var decision = (await decisions.ReadAsync(timeout.Token)).Value!;
        // The worker counts a detection once it is published, just after the test could read it.
        for (var seen = false; !seen; await Task.Delay(20, timeout.Token))
        {
            listener.RecordObservableInstruments();
            lock (measured)
            {
                seen = measured.ContainsKey("analytics.analyzer.detections|detector=brute_force");
            }
        }

        var stats = app.Services.GetRequiredService<Analytics.Analyzer.Decisions.DetectionMetrics>().ByDetector();

        Assert.Equal(traceId, decision.Evidence!.TraceId);
        lock (measured)
        {
            Assert.Equal(10, measured["analytics.analyzer.events"]);
            Assert.Equal(1, measured["analytics.analyzer.detections|detector=brute_force"]);
            Assert.Equal(1, measured["analytics.analyzer.decisions.published|source=rule:brute_force|action=block"]);
            Assert.Equal(1, measured["analytics.analyzer.decisions.active|scope=ip|source=rule:brute_force"]);
        }

        Assert.Equal(1, stats["brute_force"]);
        await app.StopAsync(timeout.Token);
    }
}
