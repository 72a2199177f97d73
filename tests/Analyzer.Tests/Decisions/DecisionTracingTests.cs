using System.Diagnostics;
using Analytics.Analyzer.Decisions;
using Analytics.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Decisions;

/// <summary>
/// The analyzer's decision span over the real pipeline on librdkafka's mock cluster: a brute force on
/// the requests topic yields one span, linked to the trace of the request that crossed the threshold,
/// tagged with detector, scope and entity kind but not the address.
/// </summary>
public sealed class DecisionTracingTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("analyzer-trace-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_published_decision_has_a_span_linked_to_the_triggering_requests_trace()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        const string address = "198.51.100.23";
        using var spans = new RecordedSpans(DecisionTracing.SourceName);

        using var cluster = new MockKafkaCluster();
        var options = cluster.Options("trace");
        await cluster.CreateTopicsAsync(options);
        await using var app = await StartAsync(options);
        var transport = app.Services.GetRequiredService<IStreamTransport>();
        using var decisions = transport.CreateGroupConsumer(Streams.Decisions, "trace-test");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var requests = transport.GetProducer(Streams.Requests);
        for (var i = 0; i < 10; i++)
        {
            // The tenth failure crosses the threshold: its trace is the one the decision links to.
            await requests.PublishAsync(address, FailedLogin(address, T0.AddSeconds(i)) with { TraceId = i == 9 ? traceId : null }, timeout.Token);
        }

        Decision? decision = null;
        while (decision is null)
        {
            var message = await decisions.ReadAsync(timeout.Token);
            decisions.Commit(message);
            decision = message.Value is { Value: address } d ? d : null;
        }

        Activity? span = null;
        while (span is null)
        {
            span = spans.Stopped.FirstOrDefault(a => Equals(a.GetTagItem("analytics.decision.id"), decision.Id));
            if (span is null)
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        Assert.Equal("analytics.decision", span.OperationName);
        Assert.Equal(traceId, Assert.Single(span.Links).Context.TraceId.ToHexString());
        Assert.Equal("brute_force", span.GetTagItem("analytics.detector"));
        Assert.Equal(DecisionScopes.Ip, span.GetTagItem("analytics.decision.scope"));
        Assert.Equal(DecisionScopes.Ip, span.GetTagItem("analytics.entity.kind"));
        Assert.Equal(DecisionActions.Block, span.GetTagItem("analytics.decision.action"));
        Assert.Equal("rule:brute_force", span.GetTagItem("analytics.decision.source"));
        // The entity's kind, never its value.
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains(address, StringComparison.Ordinal) == true);
        Assert.Equal(traceId, decision.Evidence!.TraceId);
        await app.StopAsync(timeout.Token);
    }

    private async Task<WebApplication> StartAsync(KafkaStreamsOptions kafka)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analyzer:Model:Enabled"] = "false",
            ["Analyzer:Hangfire:Enabled"] = "false",
            ["Search:Enabled"] = "false",
            ["Search:Archive:Directory"] = Path.Combine(_data, "search"),
        });
        builder.Configuration.AddInMemoryCollection(MockKafkaCluster.Settings(kafka));
        builder.AddAnalyzer();
        var app = builder.Build();
        app.UseAnalyzer();
        await app.StartAsync();
        return app;
    }
}
