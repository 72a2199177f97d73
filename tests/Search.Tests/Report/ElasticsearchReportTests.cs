using System.Text.Json;
using System.Text.Json.Nodes;
using Analytics.Messaging;
using Analytics.Search.Archive;
using Analytics.Search.Ecs;
using Analytics.Search.Elasticsearch;
using Analytics.Search.Report;
using Analytics.Search.Tests.Elasticsearch;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Search.Tests.Report;

/// <summary>
/// The report's Elasticsearch source, through the real client against a loopback endpoint that
/// plays the cluster: the searches it sends, and canned answers in the shape Elasticsearch gives
/// them (typed keys, as the client asks) becoming the same report the archive gives for the same
/// hand-checked events.
/// </summary>
public sealed class ElasticsearchReportTests : IAsyncLifetime
{
    internal static readonly DateOnly Day1 = new(2026, 11, 1);
    internal static readonly DateOnly Day2 = new(2026, 11, 2);
    internal static readonly DateTimeOffset D1 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset D2 = D1.AddDays(1);
    private const string Kibana = "https://kibana.example.test";

    private readonly TempDirectory _dir = new();
    private FakeElasticsearch _es = null!;

    public async Task InitializeAsync() => _es = await FakeElasticsearch.StartAsync();

    public async Task DisposeAsync()
    {
        await _es.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_same_events_give_the_same_report_from_the_archive_and_from_Elasticsearch()
    {
        var events = Events();
        await WriteArchive(events);
        var expected = new ReportBuilder(_dir.Path).Build(Day1, Day2, D2);

        // The hand-checked numbers, so neither source can be wrong in the same way as the other unnoticed.
        Assert.Equal(6, expected.Requests);
        Assert.Equal(3, expected.Rejected);
        Assert.Equal([new DailyTraffic(Day1, 3, 2), new DailyTraffic(Day2, 3, 1)], expected.Daily);
        Assert.Equal(1, expected.AutomaticDecisions);
        Assert.Equal(1, expected.ManualDecisions);
        Assert.Equal(2, expected.Decisions.Count);
        Assert.All(expected.Decisions, d => Assert.StartsWith(Kibana + "/app/discover#/", d.Link));

        _es.SearchResponse = (path, body) => (200, Answer(path, body, events));
        var actual = await Source().BuildAsync(Day1, Day2, D2, CancellationToken.None);

        Assert.Equal(Json(expected), Json(actual));
    }

    [Fact]
    public async Task Each_search_goes_to_our_data_stream_with_the_time_range_and_its_aggregations()
    {
        var events = Events();
        _es.SearchResponse = (path, body) => (200, Answer(path, body, events));
        await new ElasticsearchReportSource(ElasticsearchClientFactory.Create(new ElasticsearchOptions { Url = _es.Url }), "prod").BuildAsync(Day1, Day2, D2, CancellationToken.None);

        var searches = _es.Searches.ToList();
        Assert.Equal(
            ["/logs-analytics.requests-prod/_search", "/logs-analytics.decisions-prod/_search", "/logs-analytics.decisions-prod/_search", "/logs-analytics.decisions-prod/_search", "/logs-analytics.alerts-prod/_search"],
            searches.Select(s => s.Path));
        foreach (var (path, query, body) in searches)
        {
            // The client reads aggregations by their typed keys (the canned answers use them).
            var request = JsonNode.Parse(body)!;
            if ((request["aggregations"] ?? request["aggs"]) is not null)
            {
                Assert.Contains("typed_keys=true", query, StringComparison.Ordinal);
            }

            var range = Filters(request).Single(f => f["range"] is not null)["range"]!["@timestamp"]!;
            Assert.Equal("2026-11-01T00:00:00.000Z", range["gte"]!.GetValue<string>());
            Assert.Equal("2026-11-03T00:00:00.000Z", range["lt"]!.GetValue<string>());
            // Only the requests stream must exist; a namespace without decisions or alerts yet is an empty section.
            Assert.Equal(path.Contains("requests", StringComparison.Ordinal) ? "ignore_unavailable=false" : "ignore_unavailable=true",
                query.Split('?', '&').Single(q => q.StartsWith("ignore_unavailable=", StringComparison.Ordinal)));
        }

        var requests = JsonNode.Parse(searches[0].Body)!;
        Assert.Equal(0, requests["size"]!.GetValue<int>());
        Assert.True(requests["track_total_hits"]!.GetValue<bool>());
        var aggs = Aggs(requests);
        Assert.Equal("day", aggs["daily"]!["date_histogram"]!["calendar_interval"]!.GetValue<string>());
        Assert.Equal("@timestamp", aggs["daily"]!["date_histogram"]!["field"]!.GetValue<string>());
        Assert.Equal("none", Aggs(aggs["daily"]!)["rejected"]!["filter"]!["bool"]!["must_not"]!["term"]!["analytics.rejected_by"]!["value"]!.GetValue<string>());
        Assert.Equal("source.ip", Aggs(aggs["rejected"]!)["offenders"]!["terms"]!["field"]!.GetValue<string>());
        Assert.Equal(10, Aggs(aggs["rejected"]!)["offenders"]!["terms"]!["size"]!.GetValue<int>());
        Assert.Equal("failure", aggs["auth_failures"]!["filter"]!["term"]!["analytics.auth.outcome"]!["value"]!.GetValue<string>());
        Assert.Equal("rule.category", aggs["by_class"]!["terms"]!["field"]!.GetValue<string>());
        Assert.Equal("url.path", Aggs(Aggs(aggs["undocumented"]!)["no_route"]!)["by_path"]!["terms"]!["field"]!.GetValue<string>());

        var decisionAggs = Aggs(JsonNode.Parse(searches[1].Body)!);
        Assert.Equal("analytics.decision.source", Aggs(decisionAggs["decisions"]!)["by_source"]!["terms"]!["field"]!.GetValue<string>());
        Assert.Equal("manual", Aggs(decisionAggs["decisions"]!)["manual"]!["filter"]!["term"]!["analytics.decision.source"]!["value"]!.GetValue<string>());
        Assert.Equal("decision-removed", decisionAggs["removed"]!["filter"]!["term"]!["event.action"]!["value"]!.GetValue<string>());
        var rows = JsonNode.Parse(searches[2].Body)!;
        Assert.Equal(ElasticsearchReportQueries.DecisionRowLimit, rows["size"]!.GetValue<int>());
        Assert.Contains(Filters(rows), f => f["exists"]?["field"]?.GetValue<string>() == "analytics.decision.id");
        var sort = rows["sort"] is JsonArray sorts ? sorts.Single()! : rows["sort"]!;
        Assert.Equal("asc", sort["@timestamp"]!["order"]!.GetValue<string>());
        Assert.Contains(Filters(JsonNode.Parse(searches[3].Body)!), f => f["term"]?["event.category"]?["value"]?.GetValue<string>() == "configuration");

        var alertAggs = Aggs(JsonNode.Parse(searches[4].Body)!);
        Assert.Equal("analytics.alert.dedup_key", Aggs(alertAggs["by_type"]!)["alerts"]!["cardinality"]!["field"]!.GetValue<string>());
        Assert.Equal(["shadow_api", "zombie_api"], alertAggs["apis"]!["filter"]!["terms"]!["analytics.alert.type"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task The_weekly_job_reads_Elasticsearch_when_it_is_configured()
    {
        var events = Events();
        _es.SearchResponse = (path, body) => (200, Answer(path, body, events));
        var options = new Analytics.Analyzer.Search.SearchOptions
        {
            Elasticsearch = new ElasticsearchOptions { Url = _es.Url },
            // An archive directory with nothing in it: the numbers below can only come from the cluster.
            Archive = new ArchiveOptions { Directory = Path.Combine(_dir.Path, "empty") },
            Report = new Analytics.Analyzer.Search.ReportJobOptions { Directory = Path.Combine(_dir.Path, "reports") },
        };
        var job = new Analytics.Analyzer.Search.SearchReportJob(Microsoft.Extensions.Options.Options.Create(options), new FakeTimeProvider(D2),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Analytics.Analyzer.Search.SearchReportJob>.Instance);

        var path = await job.WriteAsync(Day1, Day2, CancellationToken.None);

        Assert.Equal(5, _es.Searches.Count);
        Assert.Contains("<b>6</b>requests", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, "security_exception", ReportSourceFailure.Unauthorized, "refused the credentials")]
    [InlineData(403, "security_exception", ReportSourceFailure.Unauthorized, "refused the credentials")]
    [InlineData(404, "index_not_found_exception", ReportSourceFailure.NotFound, "no data stream logs-analytics.requests-default")]
    [InlineData(503, "search_phase_execution_exception", ReportSourceFailure.Refused, "answered 503")]
    [InlineData(400, "parsing_exception", ReportSourceFailure.Refused, "answered 400")]
    public async Task An_error_answer_is_a_report_error_that_says_what_happened(int status, string type, ReportSourceFailure failure, string message)
    {
        _es.SearchResponse = (_, _) => (status, ErrorBody(status, type));

        var ex = await Assert.ThrowsAsync<ReportSourceException>(() => Source().BuildAsync(Day1, Day2, D2, CancellationToken.None));

        Assert.Equal(failure, ex.Failure);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains(type, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_that_does_not_answer_is_unreachable()
    {
        var url = _es.Url;
        await _es.DisposeAsync();
        var source = new ElasticsearchReportSource(ElasticsearchClientFactory.Create(new ElasticsearchOptions { Url = url, RequestTimeout = TimeSpan.FromSeconds(5) }), "default");

        var ex = await Assert.ThrowsAsync<ReportSourceException>(() => source.BuildAsync(Day1, Day2, D2, CancellationToken.None));

        Assert.Equal(ReportSourceFailure.Unreachable, ex.Failure);
        _es = await FakeElasticsearch.StartAsync();
    }

    private ElasticsearchReportSource Source() =>
        new(ElasticsearchClientFactory.Create(new ElasticsearchOptions { Url = _es.Url }), "default");

    /// <summary>Six requests over two days (and one after the range), three decision documents, three alert versions.</summary>
    internal static List<EcsDocument> Events(string @namespace = "default")
    {
        var authFailure = new AuthInfo(AuthOutcomes.Failure, "invalid_credentials");
        var shadowId = Guid.NewGuid().ToString();
        var shadow = Samples.Alert(AlertTypes.ShadowApi, "route:/api/hidden", D1.AddHours(15)) with { Id = shadowId, Title = "Shadow API /api/hidden" };
        return
        [
            RequestEventMapping.ToDocument(Samples.Request("198.51.100.1", D1.AddHours(8)), @namespace),
            RequestEventMapping.ToDocument(Samples.Request("198.51.100.1", D1.AddHours(9), status: 401, rejectedBy: RejectionReasons.Authentication, auth: authFailure), @namespace),
            RequestEventMapping.ToDocument(Samples.Request("198.51.100.2", D1.AddHours(10), status: 401, rejectedBy: RejectionReasons.Authentication, auth: authFailure), @namespace),
            RequestEventMapping.ToDocument(Samples.Request("198.51.100.1", D2.AddHours(11), status: 403, rejectedBy: RejectionReasons.Inspection,
                inspection: new InspectionInfo { Score = 9, Action = "block", Rules = ["sqli-1"], Categories = ["sqli"] }), @namespace),
            RequestEventMapping.ToDocument(Samples.Request("198.51.100.3", D2.AddHours(12), path: "/hidden/x") with { Catalog = "undocumented", PathTemplate = null }, @namespace),
            RequestEventMapping.ToDocument(Samples.Request("198.51.100.3", D2.AddHours(13)) with { Catalog = "undocumented" }, @namespace),
            RequestEventMapping.ToDocument(Samples.Request("198.51.100.9", D2.AddDays(1).AddSeconds(1)), @namespace),
            DecisionMapping.ToDocument("ip:198.51.100.1", Samples.Decision("rule:brute_force", value: "198.51.100.1", at: D1.AddHours(12)), D1.AddHours(12), @namespace, kibanaUrl: Kibana),
            DecisionMapping.ToDocument("ip:198.51.100.2", Samples.Decision("manual", value: "198.51.100.2", at: D2.AddHours(9)), D2.AddHours(9), @namespace, kibanaUrl: Kibana),
            DecisionMapping.ToDocument("ip:198.51.100.2", null, D2.AddHours(10), @namespace),
            AlertMapping.ToDocument(Samples.Alert(AlertTypes.BruteForce, "ip:198.51.100.1", D1.AddHours(12)), @namespace),
            AlertMapping.ToDocument(shadow, @namespace),
            AlertMapping.ToDocument(shadow with { Count = 2, LastSeen = D2.AddHours(15), Title = "Shadow API /api/hidden (2 clients)" }, @namespace),
        ];
    }

    private Task WriteArchive(List<EcsDocument> events) => WriteArchive(_dir.Path, events);

    internal static async Task WriteArchive(string directory, List<EcsDocument> events)
    {
        var time = new FakeTimeProvider(D1);
        using var archive = new NdjsonArchive(new ArchiveOptions { Directory = directory, Fsync = false }, "default", time);
        foreach (var day in events.GroupBy(e => e.Timestamp.UtcDateTime.Date).OrderBy(g => g.Key))
        {
            time.SetUtcNow(new DateTimeOffset(day.Key, TimeSpan.Zero).AddHours(23));
            await archive.WriteAsync(day.ToList(), CancellationToken.None);
        }
    }

    /// <summary>What Elasticsearch answers for these events, written out by hand from the list above.</summary>
    private static string Answer(string path, string body, List<EcsDocument> events)
    {
        static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
        static string Terms(params (string Key, long Count)[] buckets) =>
            "{\"doc_count_error_upper_bound\":0,\"sum_other_doc_count\":0,\"buckets\":["
            + string.Join(",", buckets.Select(b => $"{{\"key\":\"{b.Key}\",\"doc_count\":{b.Count}}}")) + "]}";
        const string Head = "{\"took\":4,\"timed_out\":false,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0},";

        if (path.Contains("requests", StringComparison.Ordinal))
        {
            return Head + "\"hits\":{\"total\":{\"value\":6,\"relation\":\"eq\"},\"max_score\":null,\"hits\":[]},\"aggregations\":{"
                + $"\"date_histogram#daily\":{{\"buckets\":[{{\"key_as_string\":\"2026-11-01T00:00:00.000Z\",\"key\":{Ms(D1)},\"doc_count\":3,\"filter#rejected\":{{\"doc_count\":2}}}},"
                + $"{{\"key_as_string\":\"2026-11-02T00:00:00.000Z\",\"key\":{Ms(D2)},\"doc_count\":3,\"filter#rejected\":{{\"doc_count\":1}}}}]}},"
                + "\"filter#rejected\":{\"doc_count\":3,\"sterms#by_step\":" + Terms(("authentication", 2), ("inspection", 1))
                + ",\"sterms#offenders\":" + Terms(("198.51.100.1", 2), ("198.51.100.2", 1)) + "},"
                + "\"filter#auth_failures\":{\"doc_count\":2,\"sterms#by_client\":" + Terms(("198.51.100.1", 1), ("198.51.100.2", 1)) + "},"
                + "\"filter#injection\":{\"doc_count\":1},"
                + "\"sterms#by_class\":" + Terms(("sqli", 1)) + ","
                + "\"filter#undocumented\":{\"doc_count\":2,\"sterms#by_route\":" + Terms(("/api/items/{id}", 1))
                + ",\"filter#no_route\":{\"doc_count\":1,\"sterms#by_path\":" + Terms(("/hidden/x", 1)) + "}}}}";
        }

        if (path.Contains("alerts", StringComparison.Ordinal))
        {
            return Head + "\"hits\":{\"total\":{\"value\":3,\"relation\":\"eq\"},\"max_score\":null,\"hits\":[]},\"aggregations\":{"
                + "\"sterms#by_type\":{\"doc_count_error_upper_bound\":0,\"sum_other_doc_count\":0,\"buckets\":["
                + "{\"key\":\"shadow_api\",\"doc_count\":2,\"cardinality#alerts\":{\"value\":1}},{\"key\":\"brute_force\",\"doc_count\":1,\"cardinality#alerts\":{\"value\":1}}]},"
                + "\"filter#apis\":{\"doc_count\":2,\"sterms#by_type\":{\"doc_count_error_upper_bound\":0,\"sum_other_doc_count\":0,\"buckets\":[{\"key\":\"shadow_api\",\"doc_count\":2,"
                + "\"sterms#by_entity\":{\"doc_count_error_upper_bound\":0,\"sum_other_doc_count\":0,\"buckets\":[{\"key\":\"route:/api/hidden\",\"doc_count\":2,"
                + "\"max#count\":{\"value\":2.0},"
                + $"\"max#last_seen\":{{\"value\":{Ms(D2.AddHours(15))}.0,\"value_as_string\":\"2026-11-02T15:00:00.000Z\"}},"
                + "\"sterms#title\":{\"doc_count_error_upper_bound\":0,\"sum_other_doc_count\":1,\"buckets\":[{\"key\":\"Shadow API /api/hidden (2 clients)\",\"doc_count\":1,"
                + $"\"max#last\":{{\"value\":{Ms(D2.AddHours(15))}.0,\"value_as_string\":\"2026-11-02T15:00:00.000Z\"}}}}]}}"
                + "}]}}]}}}}";
        }

        var request = JsonNode.Parse(body)!;
        if (request["size"]!.GetValue<int>() == 0)
        {
            return Head + "\"hits\":{\"total\":{\"value\":3,\"relation\":\"eq\"},\"max_score\":null,\"hits\":[]},\"aggregations\":{"
                + "\"filter#decisions\":{\"doc_count\":2,\"sterms#by_source\":" + Terms(("manual", 1), ("rule:brute_force", 1)) + ",\"filter#manual\":{\"doc_count\":1}},"
                + "\"filter#removed\":{\"doc_count\":1}}}";
        }

        // Rows: the decision documents as indexed, filtered as the query asks.
        var audit = Filters(request).Any(f => f["term"]?["event.category"] is not null);
        var hits = events
            .Where(e => e.Stream == SearchStream.Decisions)
            .Select(e => (Doc: e, Source: JsonNode.Parse(e.Source.Span)!))
            .Where(x => audit
                ? x.Source["user"]?["name"] is not null && x.Source["event"]!["category"]!.AsArray().Any(c => c!.GetValue<string>() == "configuration")
                : x.Source["analytics"]!["decision"]!["id"] is not null)
            .Select(x => $"{{\"_index\":\".ds-logs-analytics.decisions-default-2026.11.01-000001\",\"_id\":{JsonSerializer.Serialize(x.Doc.Id)},\"_score\":null,\"_source\":{x.Source.ToJsonString()},\"sort\":[{Ms(x.Doc.Timestamp)}]}}")
            .ToList();
        return Head + $"\"hits\":{{\"total\":{{\"value\":{hits.Count},\"relation\":\"eq\"}},\"max_score\":null,\"hits\":[{string.Join(",", hits)}]}}}}";
    }

    private static string ErrorBody(int status, string type) =>
        $"{{\"error\":{{\"root_cause\":[{{\"type\":\"{type}\",\"reason\":\"test {type}\"}}],\"type\":\"{type}\",\"reason\":\"test {type}\"}},\"status\":{status}}}";

    private static JsonObject Aggs(JsonNode node) => (node["aggregations"] ?? node["aggs"])!.AsObject();

    /// <summary>The query's filters (the client writes a one-element list as the element itself, as Elasticsearch accepts).</summary>
    private static IEnumerable<JsonNode> Filters(JsonNode request) =>
        request["query"]!["bool"]!["filter"] is JsonArray many ? many.Select(f => f!) : [request["query"]!["bool"]!["filter"]!];

    internal static string Json(ComplianceReport r) => JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true });
}
