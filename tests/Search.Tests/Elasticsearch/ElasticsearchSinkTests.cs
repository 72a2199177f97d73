using System.Text.Json;
using Analytics.Search.Ecs;
using Analytics.Search.Elasticsearch;
using Analytics.Search.Indexing;

namespace Analytics.Search.Tests.Elasticsearch;

public sealed class ElasticsearchSinkTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ListLogger _log = new();
    // Retries are unbounded by design; a test that would loop fails instead.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private FakeElasticsearch _es = null!;

    public async Task InitializeAsync() => _es = await FakeElasticsearch.StartAsync();

    public async Task DisposeAsync()
    {
        _timeout.Dispose();
        await _es.DisposeAsync();
        _dir.Dispose();
    }

    private CancellationToken Token => _timeout.Token;

    private string DeadLetterPath => Path.Combine(_dir.Path, "dead-letter.ndjson");

    private ElasticsearchSink Sink()
    {
        var options = new ElasticsearchOptions
        {
            Url = _es.Url,
            Username = "elastic",
            Password = "test-password",
            InitialBackoff = TimeSpan.FromMilliseconds(5),
            MaxBackoff = TimeSpan.FromMilliseconds(20),
        };
        return new ElasticsearchSink(ElasticsearchClientFactory.Create(options), options, "default",
            new DeadLetterFile(DeadLetterPath, TimeProvider.System), _log, TimeProvider.System);
    }

    private static List<EcsDocument> Requests(int n) =>
        Enumerable.Range(0, n).Select(i => RequestEventMapping.ToDocument(Samples.Request(id: "req-" + i), "default")).ToList();

    private static List<string> BulkIds(string body)
    {
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Where((_, i) => i % 2 == 0).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("create").GetProperty("_id").GetString()!).ToList();
    }

    [Fact]
    public async Task Templates_and_ilm_go_out_before_the_first_document_and_bulk_bodies_are_ndjson_creates()
    {
        var sink = Sink();
        var write = sink.WriteAsync([.. Requests(2), DecisionMapping.ToDocument("ip:1.2.3.4", Samples.Decision(), Samples.T0, "default"), AlertMapping.ToDocument(Samples.Alert(), "default")], Token);
        try
        {
            await write;
        }
        catch (OperationCanceledException)
        {
            Assert.Fail(string.Join("\n", _log.Lines.Take(2)) + "\n" + _es.Requests.Last().Body);
        }

        var requests = _es.Requests.ToList();
        Assert.Equal(
        [
            "PUT /_ilm/policy/logs-analytics",
            "PUT /_component_template/logs-analytics@mappings",
            "PUT /_component_template/logs-analytics@settings",
            "PUT /_index_template/logs-analytics.requests",
            "PUT /_index_template/logs-analytics.decisions",
            "PUT /_index_template/logs-analytics.alerts",
            "POST /_bulk",
        ], requests.Select(r => r.Method + " " + r.Path));
        Assert.Equal("30d", JsonDocument.Parse(requests[0].Body).RootElement.GetProperty("policy").GetProperty("phases").GetProperty("delete").GetProperty("min_age").GetString());
        Assert.Equal(SearchResources.Read(SearchResources.MappingsComponent), requests[1].Body);

        var body = requests[^1].Body;
        Assert.EndsWith("\n", body);
        var lines = body.Split('\n')[..^1];
        Assert.Equal(8, lines.Length);
        var indices = new List<string>();
        for (var i = 0; i < lines.Length; i += 2)
        {
            var action = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal("create", Assert.Single(action.EnumerateObject()).Name);
            indices.Add(action.GetProperty("create").GetProperty("_index").GetString()!);
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(lines[i + 1]).RootElement.ValueKind);
        }

        Assert.Equal(["logs-analytics.requests-default", "logs-analytics.requests-default", "logs-analytics.decisions-default", "logs-analytics.alerts-default"], indices);
        Assert.Equal(4, sink.Indexed);
    }

    [Fact]
    public async Task Item_level_429s_are_retried_and_only_those_items()
    {
        _es.ItemStatus = (call, id) => call == 1 && id is "req-1" or "req-3" ? 429 : 201;
        var sink = Sink();

        await sink.WriteAsync(Requests(5), Token);

        var bulks = _es.Bulks.ToList();
        Assert.Equal(2, bulks.Count);
        Assert.Equal(["req-0", "req-1", "req-2", "req-3", "req-4"], BulkIds(bulks[0].Body));
        Assert.Equal(["req-1", "req-3"], BulkIds(bulks[1].Body));
        Assert.Equal(5, sink.Indexed);
        Assert.Equal(2, sink.RetriedItems);
    }

    [Fact]
    public async Task A_mapping_error_goes_to_the_dead_letter_file_and_the_batch_goes_on()
    {
        _es.ItemStatus = (_, id) => id == "req-2" ? 400 : 201;
        var sink = Sink();

        await sink.WriteAsync(Requests(4), Token);

        Assert.Single(_es.Bulks);
        Assert.Equal(3, sink.Indexed);
        var line = Assert.Single(File.ReadAllLines(DeadLetterPath));
        var entry = JsonDocument.Parse(line).RootElement;
        Assert.Equal("req-2", entry.GetProperty("id").GetString());
        Assert.Equal(400, entry.GetProperty("status").GetInt32());
        Assert.Equal("document_parsing_exception", entry.GetProperty("error_type").GetString());
        Assert.Contains("failed to parse field [source.ip]", entry.GetProperty("reason").GetString());
        Assert.Equal("logs-analytics.requests-default", entry.GetProperty("index").GetString());
        Assert.Equal("req-2", entry.GetProperty("document").GetProperty("event").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_whole_request_outage_is_retried_until_the_cluster_answers_and_a_409_counts_as_stored()
    {
        _es.BulkStatus = call => call <= 2 ? 503 : 200;
        _es.ItemStatus = (_, id) => id == "req-0" ? 409 : 201;
        var sink = Sink();

        await sink.WriteAsync(Requests(3), Token);

        Assert.Equal(3, _es.BulkCalls);
        Assert.All(_es.Bulks, b => Assert.Equal(["req-0", "req-1", "req-2"], BulkIds(b.Body)));
        Assert.Equal(3, sink.Indexed);
        Assert.False(File.Exists(DeadLetterPath));
    }
}
