using Microsoft.Extensions.Logging;

namespace Analytics.Analyzer.Search;

/// <summary>The indexer's log messages (event ids 4200-4299).</summary>
internal static partial class SearchLog
{
    [LoggerMessage(4201, LogLevel.Information, "Search indexer reading {Stream} as consumer group {Group} into {Sinks}")]
    public static partial void Started(ILogger logger, string stream, string group, string sinks);

    [LoggerMessage(4202, LogLevel.Warning, "A {Stream} message at offset {Offset} could not be mapped and is skipped")]
    public static partial void MappingFailed(ILogger logger, string stream, long offset, Exception exception);

    [LoggerMessage(4203, LogLevel.Warning, "Search indexer for {Stream} stopped with {Count} documents not stored; they are read again at the next start")]
    public static partial void StoppedWithPending(ILogger logger, string stream, int count);

    [LoggerMessage(4204, LogLevel.Information, "Compliance report for {From} to {To} written to {Path}")]
    public static partial void ReportWritten(ILogger logger, DateOnly from, DateOnly to, string path);

    [LoggerMessage(4205, LogLevel.Warning, "Recording an audit document failed: {Reason}")]
    public static partial void AuditFailed(ILogger logger, string reason);
}
