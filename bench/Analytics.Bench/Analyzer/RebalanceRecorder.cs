using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Analytics.Bench.Analyzer;

/// <summary>Keeps the Kafka transport's consumer-group changes (event 3108: assigned, revoked, lost) with their wall-clock time.</summary>
internal sealed class RebalanceRecorder : ILoggerProvider
{
    private const int RebalanceEvent = 3108;

    public ConcurrentQueue<(DateTime At, string Line)> Changes { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void Dispose()
    {
    }

    private sealed class Recorder(RebalanceRecorder owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == RebalanceEvent)
            {
                owner.Changes.Enqueue((DateTime.UtcNow, formatter(state, exception)));
            }
        }
    }
}
