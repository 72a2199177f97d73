using Analytics.Search.Ecs;
using Analytics.Search.Indexing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Search;

/// <summary>
/// Records admin changes that do not travel on a stream (allowlist entries added at run time) as
/// audit documents. Manual decisions need nothing here: they are on the decisions stream and the
/// decision mapping makes them audit documents.
/// </summary>
internal sealed class AuditTrail(IDocumentSink sink, IOptions<SearchOptions> options, TimeProvider time, ILogger<AuditTrail> logger)
{
    public async Task RecordAsync(string change, string credential, string scope, string value, string? reason, CancellationToken cancellationToken)
    {
        var doc = AuditMapping.ToDocument(change, credential, scope, value, reason, time.GetUtcNow(), options.Value.Namespace);
        try
        {
            await sink.WriteAsync([doc], cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            SearchLog.AuditFailed(logger, ex.Message);
        }
    }
}
