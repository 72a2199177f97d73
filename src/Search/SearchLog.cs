using Microsoft.Extensions.Logging;

namespace Analytics.Search;

/// <summary>Log messages of the search engines (event ids 4100-4199).</summary>
internal static partial class SearchLog
{
    [LoggerMessage(4101, LogLevel.Warning, "Bulk request of {Count} documents failed and will be retried: {Reason}")]
    public static partial void BulkFailed(ILogger logger, int count, string? reason);

    [LoggerMessage(4102, LogLevel.Error, "A {Stream} document was rejected with status {Status} ({ErrorType}) and written to the dead-letter file")]
    public static partial void DeadLettered(ILogger logger, string stream, int status, string errorType);

    [LoggerMessage(4103, LogLevel.Information, "Elasticsearch ILM policy and index templates applied")]
    public static partial void TemplatesApplied(ILogger logger);

    [LoggerMessage(4104, LogLevel.Warning, "Applying the Elasticsearch templates failed; retrying: {Reason}")]
    public static partial void SetupFailed(ILogger logger, string reason);
}
