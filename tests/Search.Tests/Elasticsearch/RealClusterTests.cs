using System.Text.Json;
using Analytics.Search.Ecs;
using Analytics.Search.Elasticsearch;
using Analytics.Search.Indexing;
using Analytics.Search.Report;
using Analytics.Search.Tests.Report;
using Analytics.Search.Tests.Support;
using Elastic.Transport;
using HttpMethod = Elastic.Transport.HttpMethod;

namespace Analytics.Search.Tests.Elasticsearch;

/// <summary>
/// The whole path against a real cluster, only when <c>ELASTICSEARCH_URL</c> is set (with
/// <c>ELASTICSEARCH_USERNAME</c>/<c>ELASTICSEARCH_PASSWORD</c> or <c>ELASTICSEARCH_API_KEY</c>);
/// elsewhere it is skipped, since Elasticsearch cannot run on the CI machine.
/// </summary>
public sealed class RealClusterTests
{
    [ElasticsearchFact]
    public async Task The_report_from_a_real_cluster_equals_the_report_from_the_archive_when_configured()
    {
        using var dir = new TempDirectory();
        var ns = "test" + Guid.NewGuid().ToString("N")[..8];
        var options = Options();
        var client = ElasticsearchClientFactory.Create(options);
        var sink = new ElasticsearchSink(client, options, ns, new DeadLetterFile(Path.Combine(dir.Path, "dl.ndjson"), TimeProvider.System), new ListLogger(), TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var events = ElasticsearchReportTests.Events(ns);
        await sink.WriteAsync(events, timeout.Token);
        await ElasticsearchReportTests.WriteArchive(Path.Combine(dir.Path, "archive"), events);
        try
        {
            foreach (var stream in SearchStream.All)
            {
                await client.Transport.RequestAsync<StringResponse>(HttpMethod.POST, "/" + stream.DataStream(ns) + "/_refresh", cancellationToken: timeout.Token);
            }

            var fromArchive = new ReportBuilder(Path.Combine(dir.Path, "archive")).Build(ElasticsearchReportTests.Day1, ElasticsearchReportTests.Day2, ElasticsearchReportTests.D2);
            var fromCluster = await new ElasticsearchReportSource(client, ns).BuildAsync(ElasticsearchReportTests.Day1, ElasticsearchReportTests.Day2, ElasticsearchReportTests.D2, timeout.Token);

            Assert.Equal(ElasticsearchReportTests.Json(fromArchive), ElasticsearchReportTests.Json(fromCluster));
            var missing = await Assert.ThrowsAsync<ReportSourceException>(() => new ElasticsearchReportSource(client, ns + "x").BuildAsync(ElasticsearchReportTests.Day1, ElasticsearchReportTests.Day2, ElasticsearchReportTests.D2, timeout.Token));
            Assert.Equal(ReportSourceFailure.NotFound, missing.Failure);
        }
        finally
        {
            foreach (var stream in SearchStream.All)
            {
                await client.Transport.RequestAsync<StringResponse>(HttpMethod.DELETE, "/_data_stream/" + stream.DataStream(ns), cancellationToken: CancellationToken.None);
            }
        }
    }

    private static ElasticsearchOptions Options() => new()
    {
        Url = Environment.GetEnvironmentVariable("ELASTICSEARCH_URL"),
        ApiKey = Environment.GetEnvironmentVariable("ELASTICSEARCH_API_KEY"),
        Username = Environment.GetEnvironmentVariable("ELASTICSEARCH_USERNAME"),
        Password = Environment.GetEnvironmentVariable("ELASTICSEARCH_PASSWORD"),
    };

    [ElasticsearchFact]
    public async Task Templates_bulk_and_search_against_a_real_cluster_when_configured()
    {
        var url = Environment.GetEnvironmentVariable("ELASTICSEARCH_URL")!;

        using var dir = new TempDirectory();
        var ns = "test" + Guid.NewGuid().ToString("N")[..8];
        var options = new ElasticsearchOptions
        {
            Url = url,
            ApiKey = Environment.GetEnvironmentVariable("ELASTICSEARCH_API_KEY"),
            Username = Environment.GetEnvironmentVariable("ELASTICSEARCH_USERNAME"),
            Password = Environment.GetEnvironmentVariable("ELASTICSEARCH_PASSWORD"),
        };
        var client = ElasticsearchClientFactory.Create(options);
        var sink = new ElasticsearchSink(client, options, ns, new DeadLetterFile(Path.Combine(dir.Path, "dl.ndjson"), TimeProvider.System), new ListLogger(), TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var docs = new List<EcsDocument>
        {
            RequestEventMapping.ToDocument(Samples.Request(id: "real-1"), ns),
            DecisionMapping.ToDocument("ip:203.0.113.7", Samples.Decision("manual"), Samples.T0, ns),
            AlertMapping.ToDocument(Samples.Alert(), ns),
        };
        await sink.WriteAsync(docs, timeout.Token);
        await sink.WriteAsync(docs, timeout.Token);

        Assert.Equal(6, sink.Indexed);
        Assert.False(File.Exists(Path.Combine(dir.Path, "dl.ndjson")), "a document was rejected by the real mapping");
        foreach (var stream in SearchStream.All)
        {
            var index = stream.DataStream(ns);
            await client.Transport.RequestAsync<StringResponse>(HttpMethod.POST, "/" + index + "/_refresh", cancellationToken: timeout.Token);
            var count = await client.Transport.RequestAsync<StringResponse>(HttpMethod.GET, "/" + index + "/_count", cancellationToken: timeout.Token);
            // Sent twice, stored once: the second create is a 409 for the same _id.
            Assert.Equal(1, JsonDocument.Parse(count.Body).RootElement.GetProperty("count").GetInt32());
            await client.Transport.RequestAsync<StringResponse>(HttpMethod.DELETE, "/_data_stream/" + index, cancellationToken: timeout.Token);
        }
    }
}
