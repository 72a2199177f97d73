using Analytics.Detection;
using Analytics.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Ingest;

/// <summary>When the group takes partitions away, the worker forgets its windows, so re-read events are not counted twice.</summary>
public sealed class RebalanceTests
{
    [Fact]
    public async Task Revoked_partitions_drop_the_windows_so_counting_starts_again()
    {
        var inner = new ServiceCollection().AddStreams(new ConfigurationBuilder().Build()).BuildServiceProvider().GetRequiredService<IStreamTransport>();
        var transport = new CallbackCapturingTransport(inner);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Analyzer:Model:Enabled"] = "false";
        builder.Configuration["Analyzer:Hangfire:Enabled"] = "false";
        builder.Services.AddSingleton<IStreamTransport>(transport);
        builder.AddAnalyzer();
        await using var app = builder.Build();
        var pipeline = app.Services.GetRequiredService<AnalyzerPipeline>();
        using var decisions = inner.CreateGroupConsumer(Streams.Decisions, "test");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        var requests = transport.GetProducer(Streams.Requests);

        // Six failures (the threshold is ten), then the partitions move away and come back.
        for (var i = 0; i < 6; i++)
        {
            requests.TryPublish("203.0.113.8", FailedLogin("203.0.113.8", T0.AddSeconds(i)));
        }

        await WaitForEvents(pipeline, requests, timeout.Token);
        Assert.True(pipeline.Store.TrackedEntities > 0);
        transport.Callbacks!.PartitionsRevoked!([0]);
        Assert.Equal(0, pipeline.Store.TrackedEntities);

        // Six more: twelve in all, but only six since the windows were dropped, so no decision.
        for (var i = 6; i < 12; i++)
        {
            requests.TryPublish("203.0.113.8", FailedLogin("203.0.113.8", T0.AddSeconds(i)));
        }

        var nextDecision = decisions.ReadAsync(timeout.Token).AsTask();
        await WaitForEvents(pipeline, requests, timeout.Token);
        Assert.False(nextDecision.IsCompleted);

        // Four more reach ten since the rebalance: now the block comes.
        for (var i = 12; i < 16; i++)
        {
            requests.TryPublish("203.0.113.8", FailedLogin("203.0.113.8", T0.AddSeconds(i)));
        }

        var decision = await nextDecision;
        Assert.Equal("ip:203.0.113.8", decision.Key);
        await app.StopAsync(timeout.Token);
    }

    /// <summary>
    /// Waits until the worker has acted on every event published so far. It publishes
    /// an event's outcomes before it reads the next one, so a harmless marker event from another
    /// client being counted proves the ones before it are done.
    /// </summary>
    private static async Task WaitForEvents(AnalyzerPipeline pipeline, IStreamProducer<RequestEvent> requests, CancellationToken cancellationToken)
    {
        requests.TryPublish("198.51.100.200", FailedLogin("198.51.100.200", T0));
        var marker = requests.Published;
        while (pipeline.Events < marker)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    private sealed class CallbackCapturingTransport(IStreamTransport inner) : IStreamTransport
    {
        public ConsumerCallbacks? Callbacks { get; private set; }

        public string Name => inner.Name;

        public IStreamProducer<T> GetProducer<T>(StreamDescriptor<T> stream) where T : class => inner.GetProducer(stream);

        public IStreamConsumer<T> CreateGroupConsumer<T>(StreamDescriptor<T> stream, string group, ConsumerCallbacks? callbacks = null) where T : class
        {
            // The analyzer's group only: the search indexer reads the requests stream too.
            if (stream.Name == Streams.Requests.Name && group == "analyzer")
            {
                Callbacks = callbacks;
            }

            return inner.CreateGroupConsumer(stream, group, callbacks);
        }

        public IStreamConsumer<T> CreateReplayConsumer<T>(StreamDescriptor<T> stream) where T : class => inner.CreateReplayConsumer(stream);
    }
}
