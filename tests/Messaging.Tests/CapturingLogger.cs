using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Analytics.Messaging.Tests;

/// <summary>Keeps every log line so tests can assert what was (and was not) logged.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

    public IEnumerable<string> Lines(int eventId) => Entries.Where(e => e.Id.Id == eventId).Select(e => e.Message);

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public void Dispose()
    {
    }
}

/// <summary>Bounded waits: poll a condition, fail the test with a message if it does not hold in time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting until {what}");
            }

            await Task.Delay(20);
        }
    }

    public static CancellationToken Timeout(TimeSpan? timeout = null) => new CancellationTokenSource(timeout ?? DefaultTimeout).Token;
}
