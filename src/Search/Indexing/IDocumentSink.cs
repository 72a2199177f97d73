using Analytics.Search.Ecs;

namespace Analytics.Search.Indexing;

/// <summary>Where ECS documents are stored: the NDJSON archive or Elasticsearch.</summary>
public interface IDocumentSink
{
    /// <summary>
    /// Stores a batch. Completes only when every document is stored durably or, if it was
    /// rejected for good, written to the dead-letter file; transient failures are retried
    /// inside, so the caller may commit its stream offsets once this returns.
    /// </summary>
    Task WriteAsync(IReadOnlyList<EcsDocument> documents, CancellationToken cancellationToken);
}
