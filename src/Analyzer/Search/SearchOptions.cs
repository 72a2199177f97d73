using Analytics.Search.Archive;
using Analytics.Search.Elasticsearch;

namespace Analytics.Analyzer.Search;

/// <summary>Forensic search (<c>Search:*</c>): where documents go, the indexer's batching, Kibana links and the weekly report.</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>Index every event, decision and alert (consumer group <see cref="ConsumerGroup"/>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The data streams' namespace: <c>logs-analytics.requests-&lt;namespace&gt;</c>.</summary>
    public string Namespace { get; set; } = "default";

    public string ConsumerGroup { get; set; } = "search";

    /// <summary>Documents per bulk request or archive write.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>A batch that is not full is written after this long.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Kibana's base URL; when set, alerts carry <c>links.kibana</c> and decision documents <c>event.url</c>: Discover filtered to the entity and window.</summary>
    public string? KibanaUrl { get; set; }

    /// <summary>Where documents rejected for good are written, one NDJSON line each with the reason.</summary>
    public string DeadLetterPath { get; set; } = Path.Combine("data", "search", "dead-letter.ndjson");

    public ElasticsearchOptions Elasticsearch { get; set; } = new();

    public ArchiveOptions Archive { get; set; } = new();

    public ReportJobOptions Report { get; set; } = new();

    /// <summary>True when documents go to the NDJSON archive.</summary>
    public bool ArchiveEnabled => Archive.Enabled ?? string.IsNullOrWhiteSpace(Elasticsearch.Url);
}
