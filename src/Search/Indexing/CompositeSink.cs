using Analytics.Search.Ecs;

namespace Analytics.Search.Indexing;

/// <summary>Stores every batch in each sink in turn (Elasticsearch and the archive when both are on).</summary>
public sealed class CompositeSink(IReadOnlyList<IDocumentSink> sinks) : IDocumentSink, IDisposable
{
    public IReadOnlyList<IDocumentSink> Sinks { get; } = sinks;

    public async Task WriteAsync(IReadOnlyList<EcsDocument> documents, CancellationToken cancellationToken)
    {
        foreach (var sink in Sinks)
        {
            await sink.WriteAsync(documents, cancellationToken);
        }
    }

    public void Dispose()
    {
        foreach (var sink in Sinks.OfType<IDisposable>())
        {
            sink.Dispose();
        }
    }
}
