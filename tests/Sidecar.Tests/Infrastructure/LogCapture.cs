using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Analytics.Sidecar.Tests.Infrastructure;

/// <summary>A logger provider that keeps every line (category, event id, message) for assertions.</summary>
public sealed class LogCapture : ILoggerProvider, ILogger
{
    public ConcurrentQueue<(string Category, int EventId, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Category(this, categoryName);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue(("", eventId.Id, formatter(state, exception)));

    public void Dispose()
    {
    }

    private sealed class Category(LogCapture owner, string name) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((name, eventId.Id, formatter(state, exception)));
    }
}
