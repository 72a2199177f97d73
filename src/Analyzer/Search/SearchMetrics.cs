using System.Diagnostics.Metrics;

namespace Analytics.Analyzer.Search;

/// <summary>The indexer's instruments (meter <c>Analytics.Search</c>).</summary>
internal sealed class SearchMetrics
{
    public const string MeterName = "Analytics.Search";

    private readonly Counter<long> _documents;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _mappingFailures;
    private readonly Histogram<double> _batchDuration;

    public SearchMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _documents = meter.CreateCounter<long>("analytics.search.documents", "{document}", "Documents stored (archive and/or Elasticsearch), by stream");
        _batches = meter.CreateCounter<long>("analytics.search.batches", "{batch}", "Batches stored and committed, by stream");
        _mappingFailures = meter.CreateCounter<long>("analytics.search.mapping_failures", "{message}", "Messages that could not be mapped to a document");
        _batchDuration = meter.CreateHistogram<double>("analytics.search.batch.duration", "s", "Time to store one batch, retries included");
    }

    public void Stored(string stream, int documents, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("stream", stream);
        _documents.Add(documents, tag);
        _batches.Add(1, tag);
        _batchDuration.Record(elapsed.TotalSeconds, tag);
    }

    public void MappingFailed(string stream) => _mappingFailures.Add(1, new KeyValuePair<string, object?>("stream", stream));
}
