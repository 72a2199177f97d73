using System.Diagnostics.Metrics;
using Analytics.Analyzer.Search;
using Analytics.Messaging;
using Analytics.Search.Ecs;
using Analytics.Search.Elasticsearch;
using Analytics.Search.Indexing;
using Analytics.Search.Tests.Elasticsearch;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Search.Tests.Indexing;

public sealed class StreamIndexerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly RecordingTransport _transport = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private FakeElasticsearch _es = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _es = await FakeElasticsearch.StartAsync();
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _es.DisposeAsync();
        await _services.DisposeAsync();
        _timeout.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Offsets_are_committed_only_after_the_batch_is_acknowledged()
    {
        var commitsSeenByBulk = new List<int>();
        _es.OnBulk = _ => commitsSeenByBulk.Add(_transport.Commits.Count);
        // An outage: the first two bulk requests fail as a whole.
        _es.BulkStatus = call => call <= 2 ? 503 : 200;
        var es = new ElasticsearchOptions { Url = _es.Url, InitialBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(20) };
        var sink = new ElasticsearchSink(ElasticsearchClientFactory.Create(es), es, "default", new DeadLetterFile(Path.Combine(_dir.Path, "dl.ndjson"), TimeProvider.System), new ListLogger(), TimeProvider.System);
        var options = new SearchOptions { BatchSize = 3, FlushInterval = TimeSpan.FromMilliseconds(200) };
        var indexer = new StreamIndexer<RequestEvent>(Streams.Requests, m => RequestEventMapping.ToDocument(m.Value!, "default"), _transport, sink, options,
            new SearchMetrics(_services.GetRequiredService<IMeterFactory>()), TimeProvider.System, new ConsumerAssignment(), new ListLogger());

        await indexer.StartAsync(_timeout.Token);
        for (var i = 0; i < 3; i++)
        {
            _transport.Write(Streams.Requests, new StreamMessage<RequestEvent>("203.0.113.7", Samples.Request(id: "req-" + i), i % 2, 10 + i, Samples.T0));
        }

        while (_transport.Commits.Count < 2)
        {
            await Task.Delay(20, _timeout.Token);
        }

        await indexer.StopAsync(_timeout.Token);

        Assert.Equal([0, 0, 0], commitsSeenByBulk);
        // The last message of each partition, once.
        Assert.Equal([("requests", 0, 12L), ("requests", 1, 11L)], _transport.Commits.OrderBy(c => c.Partition));
    }

    [Fact]
    public async Task A_part_batch_is_stored_after_the_flush_interval_and_decisions_tombstones_are_indexed()
    {
        using var archive = new Analytics.Search.Archive.NdjsonArchive(new() { Directory = _dir.Path, Fsync = false }, "default", TimeProvider.System);
        var options = new SearchOptions { BatchSize = 100, FlushInterval = TimeSpan.FromMilliseconds(100) };
        var indexer = new StreamIndexer<Decision>(Streams.Decisions, m => DecisionMapping.ToDocument(m.Key, m.Value, m.Timestamp, "default"), _transport, archive, options,
            new SearchMetrics(_services.GetRequiredService<IMeterFactory>()), TimeProvider.System, new ConsumerAssignment(), new ListLogger());
        await indexer.StartAsync(_timeout.Token);
        _transport.Write(Streams.Decisions, new StreamMessage<Decision>("ip:203.0.113.7", Samples.Decision("manual"), 0, 1, Samples.T0));
        _transport.Write(Streams.Decisions, new StreamMessage<Decision>("ip:203.0.113.7", null, 0, 2, Samples.T0.AddMinutes(5)));

        while (_transport.Commits.IsEmpty)
        {
            await Task.Delay(20, _timeout.Token);
        }

        await indexer.StopAsync(_timeout.Token);
        Assert.Equal(2, archive.Written);
        Assert.Equal(("decisions", 0, 2L), Assert.Single(_transport.Commits));
    }
}
