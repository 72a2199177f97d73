using Analytics.Alerts;
using Analytics.Analyzer;
using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Telemetry;
using Analytics.Sidecar;
using Analytics.Standalone.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Analytics.Standalone;

/// <summary>What to start in the one process.</summary>
internal sealed record StandaloneSettings
{
    /// <summary>Start the demo upstream and route the sidecar to it with the demo policy.</summary>
    public bool Demo { get; init; }

    /// <summary>Drive benign and attack traffic through the sidecar (demo only).</summary>
    public bool Traffic { get; init; }

    /// <summary>Configuration that wins over files and environment (tests use it for ports 0 and temp folders).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>A last word on the builder (tests add log capture here).</summary>
    public Action<WebApplicationBuilder>? ConfigureBuilder { get; init; }
}

/// <summary>
/// The one-process composition: sidecar, analyzer and alerts over in-process streams, and with
/// the demo, the demo upstream.
/// </summary>
internal sealed class StandaloneHost : IAsyncDisposable
{
    private StandaloneHost(WebApplication app, DemoUpstream? upstream)
    {
        App = app;
        Upstream = upstream;
    }

    public WebApplication App { get; }
    public DemoUpstream? Upstream { get; }

    /// <summary>The proxy's bound URL, e.g. http://127.0.0.1:8080.</summary>
    public string ProxyUrl { get; private set; } = "";

    /// <summary>The admin listener's bound URL, e.g. http://127.0.0.1:9901.</summary>
    public string AdminUrl { get; private set; } = "";

    public string AdminToken => App.Services.GetRequiredService<IOptions<AdminOptions>>().Value.Token!;

    public static WebApplicationBuilder CreateBuilder(string[] args, StandaloneSettings settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings*.json live beside the binary, wherever `dotnet run` was started from.
            ContentRootPath = AppContext.BaseDirectory,
        });

        if (settings.Demo)
        {
            builder.Configuration.AddJsonFile("appsettings.Demo.json", optional: false);
            // Environment and command line still win over the demo file.
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(args);
        }

        builder.Configuration.AddInMemoryCollection(settings.Overrides);

        // Shipped models are found beside the program, not in whatever folder it was started
        // from; Analyzer:Model:Path (absolute, or relative to the working directory) overrides.
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{AnalyzerOptions.Section}:Model:Path"]))
        {
            builder.Configuration[$"{AnalyzerOptions.Section}:Model:Path"] = ShippedFile("models/default.zip");
        }

        return builder;
    }

    /// <summary>A file shipped with the program (copied beside it by the build), by its path under the app folder.</summary>
    public static string ShippedFile(string relativePath) => Path.Combine(AppContext.BaseDirectory, relativePath);

    public static async Task<StandaloneHost> StartAsync(string[] args, StandaloneSettings settings, CancellationToken cancellationToken = default)
    {
        var builder = CreateBuilder(args, settings);
        DemoUpstream? upstream = null;
        if (settings.Demo)
        {
            var upstreamUrl = builder.Configuration["Demo:UpstreamUrl"] ?? "http://127.0.0.1:5080";
            upstream = await DemoUpstream.StartAsync(upstreamUrl, cancellationToken);
            // The upstream's port is known only now (tests use port 0): point the route and the
            // token authority at where it really listens.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ReverseProxy:Clusters:demo:Destinations:upstream:Address"] = upstream.Url + "/",
                ["Sidecar:Auth:Jwt:Authority"] = upstream.Url,
            });
        }

        // A stop must finish within a few seconds (a quick restart finds the ports free); Hangfire
        // would otherwise wait up to its own 15 s for running jobs, which retry after a restart anyway.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.AddServiceTelemetry("analytics-standalone");
        DecisionSigningKey.Apply(builder.Configuration);
        builder.AddAdminListener("Sidecar:Admin", generateTokenIfMissing: settings.Demo);
        builder.AddSidecar();
        builder.AddAnalyzer();
        builder.AddAlerts();
        settings.ConfigureBuilder?.Invoke(builder);

        var app = builder.Build();
        app.UseAdminListener();
        app.UseAnalyzer();
        app.MapSidecar();

        var host = new StandaloneHost(app, upstream);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await host.DisposeAfterFailedStartAsync();
            throw;
        }

        host.AdminUrl = app.Services.GetRequiredService<AdminEndpointInfo>().Url ?? "";
        host.ProxyUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.TrimEnd('/'))
            .First(a => a != host.AdminUrl);
        return host;
    }

    /// <summary>How long a stop waits for running work before it lets go.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Releases what a failed start left behind. The start's own exception is the one to report:
    /// stopping a host whose hosted services could not even be created throws one of its own
    /// (an ArgumentNullException from Host.StopAsync), which must not hide it.
    /// </summary>
    private async ValueTask DisposeAfterFailedStartAsync()
    {
        try
        {
            await App.StopAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or ArgumentNullException or InvalidOperationException)
        {
            // Nothing more to release than what DisposeAsync below does.
        }

        await App.DisposeAsync();
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync();
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout ran out while a hosted service (Hangfire) was still stopping:
            // the listeners are closed already, and the process is leaving either way.
        }

        await App.DisposeAsync();
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
    }
}
