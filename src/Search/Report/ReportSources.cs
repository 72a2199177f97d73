using Analytics.Search.Elasticsearch;

namespace Analytics.Search.Report;

/// <summary>Picks the report's source the way the indexer picks its sink: Elasticsearch when its URL is set, the NDJSON archive otherwise.</summary>
public static class ReportSources
{
    public static IReportSource Create(ElasticsearchOptions elasticsearch, string @namespace, string archiveDirectory) =>
        string.IsNullOrWhiteSpace(elasticsearch.Url)
            ? new ReportBuilder(archiveDirectory)
            : new ElasticsearchReportSource(ElasticsearchClientFactory.Create(elasticsearch), @namespace);
}
