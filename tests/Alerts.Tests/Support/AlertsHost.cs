using Analytics.Alerts.Stats;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Alerts.Tests.Support;

/// <summary>The alerts service as its own Program composes it, on loopback ports, with test configuration and optionally a fake clock.</summary>
internal sealed class AlertsHost : IAsyncDisposable
{
    public const string AdminToken = "alerts-test-admin-token";

    private AlertsHost(WebApplication app, LogLines logs)
    {
        App = app;
        Logs = logs;
    }

    public WebApplication App { get; }

    public LogLines Logs { get; }

    public IServiceProvider Services => App.Services;

    public string AdminUrl => Services.GetRequiredService<AdminEndpointInfo>().Url!;

    public AlertStats Stats => Services.GetRequiredService<AlertStats>();

    /// <summary>Fast defaults for tests: no group wait, quick ticks and retries; <paramref name="config"/> wins.</summary>
    public static async Task<AlertsHost> StartAsync(IDictionary<string, string?> config, FakeTimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Alerts:Admin:Url"] = "http://127.0.0.1:0",
            ["Alerts:Admin:Token"] = AdminToken,
            ["Alerts:Log:Enabled"] = "false",
            ["Alerts:Routing:GroupWait"] = "00:00:00",
            ["Alerts:Routing:TickInterval"] = "00:00:00.050",
            ["Alerts:Delivery:FirstRetryDelay"] = "00:00:00.200",
            ["Alerts:Delivery:MaxRetryDelay"] = "00:00:01",
            ["Alerts:Hangfire:PollInterval"] = "00:00:00.200",
            ["Alerts:Hangfire:WorkerCount"] = "4",
        };
        foreach (var (key, value) in config)
        {
            settings[key] = value;
        }

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new LogLines();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        if (time is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(time);
        }

        builder.AddAdminListener("Alerts:Admin");
        builder.AddAlerts();
        var app = builder.Build();
        app.UseAdminListener();
        await app.StartAsync();
        return new AlertsHost(app, logs);
    }

    public Task PublishAsync(Alert alert) =>
        Services.GetRequiredService<IStreamTransport>().GetProducer(Streams.Alerts).PublishAsync(alert.DedupKey, alert);

    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(AdminUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
