using Analytics.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.ServiceDefaults.Tests.Infrastructure;

/// <summary>A real Kestrel host with only the admin listener, on a loopback port chosen by the OS.</summary>
internal sealed class AdminHost : IAsyncDisposable
{
    public const string Token = "service-defaults-test-token-0123";
    public const string MetricsToken = "service-defaults-metrics-token-9876";

    private AdminHost(WebApplication app, string url)
    {
        App = app;
        Url = url;
    }

    public WebApplication App { get; }
    public string Url { get; }

    public static async Task<AdminHost> StartAsync(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        var config = new Dictionary<string, string?>
        {
            ["Test:Admin:Url"] = "http://127.0.0.1:0",
            ["Test:Admin:Token"] = Token,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        configure?.Invoke(builder);
        builder.AddAdminListener("Test:Admin");
        builder.Services.AddAdminEndpoints<ThingsEndpoints>();
        var app = builder.Build();
        app.UseAdminListener();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new AdminHost(app, app.Services.GetRequiredService<AdminEndpointInfo>().Url!);
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>A feature's admin endpoints: one to read, one that changes state.</summary>
    private sealed class ThingsEndpoints : IAdminEndpoints
    {
        private int _count;

        public void MapEndpoints(IEndpointRouteBuilder admin)
        {
            admin.MapGet("/things", () => Results.Json(new { count = _count }));
            admin.MapPost("/things", () => Results.Json(new { count = Interlocked.Increment(ref _count) }));
        }
    }
}
