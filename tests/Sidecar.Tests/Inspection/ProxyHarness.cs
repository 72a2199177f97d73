using System.Collections.Concurrent;
using Analytics.Inspection;
using Analytics.Sidecar.Catalog;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.Routes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// A real upstream and a real sidecar-like proxy on Kestrel (127.0.0.1, port 0): YARP with
/// UseApiCatalog + UseInspection in its pipeline, and a tiny telemetry capture.
/// </summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private readonly WebApplication _upstream;
    private readonly WebApplication _proxy;

    private readonly ConcurrentQueue<(string, long)> _received;

    public ConcurrentQueue<RequestContext> Telemetry { get; }
    public TestRouteOptionsProvider Routes { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _proxy.Services;
    public string ProxyAddress => Address(_proxy);

    private ProxyHarness(WebApplication upstream, WebApplication proxy, TestRouteOptionsProvider routes, ConcurrentQueue<RequestContext> telemetry, ConcurrentQueue<(string, long)> received)
    {
        _upstream = upstream;
        _proxy = proxy;
        Routes = routes;
        Telemetry = telemetry;
        _received = received;
        Client = new HttpClient { BaseAddress = new Uri(Address(proxy)) };
    }

    public static async Task<ProxyHarness> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var received = new ConcurrentQueue<(string, long)>();
        var upstreamBuilder = WebApplication.CreateSlimBuilder();
        upstreamBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        upstreamBuilder.Logging.ClearProviders();
        var upstream = upstreamBuilder.Build();
        upstream.Run(async ctx =>
        {
            using var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms);
            received.Enqueue((ctx.Request.Path.Value ?? "", ms.Length));
            ctx.Response.StatusCode = ctx.Request.Path.StartsWithSegments("/missing") ? 404 : 200;
            await ctx.Response.WriteAsync($"ok {ms.Length}");
        });
        await upstream.StartAsync();

        var routes = new TestRouteOptionsProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sidecar:Inspection:ModelPath"] = "" });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton<IRouteOptionsProvider>(routes);
        builder.Services.AddInspection(builder.Configuration);
        builder.Services.AddApiCatalog(builder.Configuration);
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "api", ClusterId = "backend", Match = new RouteMatch { Path = "/{**catch-all}" } }],
            [new ClusterConfig { ClusterId = "backend", Destinations = new Dictionary<string, DestinationConfig> { ["d"] = new() { Address = Address(upstream) } } }]);
        var proxy = builder.Build();
        var captured = new ConcurrentQueue<RequestContext>();
        proxy.Use(async (ctx, next) =>
        {
            var telemetry = RequestContext.For(ctx);
            try
            {
                await next(ctx);
            }
            finally
            {
                captured.Enqueue(telemetry);
            }
        });
        proxy.UseRequestNormalizationGuard();
        proxy.MapReverseProxy(p =>
        {
            p.UseApiCatalog();
            p.UseInspection();
        });
        await proxy.StartAsync();
        return new ProxyHarness(upstream, proxy, routes, captured, received);
    }

    public IReadOnlyCollection<(string Path, long BodyBytes)> Upstream => _received.ToArray();

    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>The telemetry of the last completed request (the capture runs after the response).</summary>
    public async Task<RequestContext> LastTelemetryAsync(int expectedCount)
    {
        for (var i = 0; i < 100 && Telemetry.Count < expectedCount; i++)
        {
            await Task.Delay(20);
        }

        return Telemetry.Last();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _proxy.StopAsync();
        await _proxy.DisposeAsync();
        await _upstream.StopAsync();
        await _upstream.DisposeAsync();
    }
}
