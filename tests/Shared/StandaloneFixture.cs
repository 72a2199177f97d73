using System.Collections.Concurrent;
using Analytics.Standalone;
using Microsoft.Extensions.Logging;

namespace Analytics.Tests.Shared;

/// <summary>Starts the one-process composition with the demo on ports chosen by the OS and a private data folder.</summary>
internal static class StandaloneDemo
{
    public const string AdminToken = "standalone-test-admin-token";

    public static Task<StandaloneHost> StartDemoAsync(string dataDirectory, LogCapture? logs = null, IDictionary<string, string?>? extra = null)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Proxy:Url"] = "http://127.0.0.1:0",
            ["Sidecar:Admin:Url"] = "http://127.0.0.1:0",
            ["Sidecar:Admin:Token"] = AdminToken,
            ["Demo:UpstreamUrl"] = "http://127.0.0.1:0",
            ["Streams:InProcess:DataDirectory"] = dataDirectory,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        return StandaloneHost.StartAsync([], new StandaloneSettings
        {
            Demo = true,
            Overrides = overrides,
            ConfigureBuilder = builder =>
            {
                builder.Logging.ClearProviders();
                if (logs is not null)
                {
                    builder.Logging.AddProvider(logs);
                }
            },
        });
    }

    public static string NewDataDirectory() => Directory.CreateTempSubdirectory("analytics-test-").FullName;
}

/// <summary>A demo host with a data folder of its own, both gone when it is disposed.</summary>
internal sealed class DemoHost : IAsyncDisposable
{
    private readonly string _data;

    private DemoHost(string data, StandaloneHost host)
    {
        _data = data;
        Host = host;
    }

    public StandaloneHost Host { get; }

    public static async Task<DemoHost> StartAsync()
    {
        var data = StandaloneDemo.NewDataDirectory();
        return new DemoHost(data, await StandaloneDemo.StartDemoAsync(data));
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}

/// <summary>Keeps every log line so tests can check what was logged.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._lines.Enqueue($"{logLevel} {category} {formatter(state, exception)}");
            }
        }
    }
}
