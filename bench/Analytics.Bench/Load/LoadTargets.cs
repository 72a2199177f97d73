using System.Security.Cryptography;
using System.Text;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Analytics.Sidecar;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Bench.Load;

/// <summary>
/// Three targets for bench/load.sh, in one process: the upstream alone, a bare YARP proxy with
/// the same route, and the sidecar (API-key auth, rate limiting, telemetry) with the same route.
/// Prints their URLs, then serves until stdin closes or a signal arrives.
/// </summary>
internal static class LoadTargets
{
    public const string ApiKey = "bench-key-0123456789";

    public static async Task<int> RunAsync(string[] args)
    {
        var withInspection = args.Contains("--inspection");
        await using var upstream = await StartUpstreamAsync();
        var upstreamUrl = Url(upstream);
        await using var yarp = await StartBareYarpAsync(upstreamUrl);
        await using var sidecar = await StartSidecarAsync(upstreamUrl, withInspection, minimal: false);
        // The same pipeline with an anonymous route and no rate limits: separates the cost of
        // auth and rate limiting from the cost of the rest (telemetry, hardening, enforcement).
        await using var minimal = await StartSidecarAsync(upstreamUrl, withInspection, minimal: true);

        // Drain telemetry as an analyzer would, so the bounded buffer never fills.
        var transport = sidecar.Services.GetRequiredService<IStreamTransport>();
        using var drain = new CancellationTokenSource();
        var draining = Task.WhenAll(Drain(transport, drain.Token), Drain(minimal.Services.GetRequiredService<IStreamTransport>(), drain.Token));

        Console.WriteLine($"upstream {upstreamUrl}/api/items/1");
        Console.WriteLine($"yarp {Url(yarp)}/api/items/1");
        Console.WriteLine($"sidecar {Url(sidecar, exclude: sidecar.Services.GetRequiredService<AdminEndpointInfo>().Url)}/api/items/1");
        Console.WriteLine($"sidecar-anonymous {Url(minimal, exclude: minimal.Services.GetRequiredService<AdminEndpointInfo>().Url)}/api/items/1");
        Console.WriteLine("ready");

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        _ = Task.Run(() =>
        {
            Console.In.ReadToEnd();
            stop.Cancel();
        });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        var dropped = transport.GetProducer(Streams.Requests).Dropped;
        Console.WriteLine($"sidecar telemetry: published {transport.GetProducer(Streams.Requests).Published}, dropped {dropped}");
        drain.Cancel();
        await draining;
        return 0;
    }

    private static Task Drain(IStreamTransport transport, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        using var consumer = transport.CreateGroupConsumer(Streams.Requests, "bench");
        try
        {
            while (true)
            {
                consumer.Commit(await consumer.ReadAsync(cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }, CancellationToken.None);

    private static async Task<WebApplication> StartUpstreamAsync()
    {
        var builder = Slim();
        var app = builder.Build();
        var body = Encoding.UTF8.GetBytes("""{"id":1,"name":"Item 1","price":8.99}""");
        app.MapGet("/api/items/{id}", (HttpContext ctx) =>
        {
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = body.Length;
            return ctx.Response.Body.WriteAsync(body).AsTask();
        });
        await app.StartAsync();
        return app;
    }

    private static async Task<WebApplication> StartBareYarpAsync(string upstreamUrl)
    {
        var builder = Slim();
        builder.Configuration.AddInMemoryCollection(Route(upstreamUrl));
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return app;
    }

    private static async Task<WebApplication> StartSidecarAsync(string upstreamUrl, bool withInspection, bool minimal)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        var config = Route(upstreamUrl);
        config["Kestrel:Endpoints:Proxy:Url"] = "http://127.0.0.1:0";
        config["Sidecar:Admin:Url"] = "http://127.0.0.1:0";
        config["Sidecar:Admin:Token"] = "bench-admin-token-0123456789";
        config["Sidecar:Auth:ApiKeys:Keys:0:Id"] = "bench";
        config["Sidecar:Auth:ApiKeys:Keys:0:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey)));
        config["Sidecar:Auth:ApiKeys:Keys:0:Roles:0"] = "reader";
        config["Sidecar:RateLimiting:Policies:bench:Kind"] = "TokenBucket";
        config["Sidecar:RateLimiting:Policies:bench:PermitLimit"] = "10000000";
        config["Sidecar:RateLimiting:Policies:bench:TokensPerPeriod"] = "10000000";
        if (minimal)
        {
            config["Sidecar:Routes:items:Auth"] = "anonymous";
            config["Sidecar:RateLimiting:GlobalConcurrencyLimit"] = "0";
        }
        else
        {
            config["Sidecar:Routes:items:Roles:0"] = "reader";
            config["Sidecar:Routes:items:RateLimitPolicy"] = "bench";
        }

        config["Sidecar:Routes:items:Inspection:Mode"] = withInspection ? "block" : "off";
        config["Streams:InProcess:Capacity"] = "1000000";
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        builder.AddAdminListener("Sidecar:Admin");
        builder.AddSidecar();
        var app = builder.Build();
        app.UseAdminListener();
        app.MapSidecar();
        await app.StartAsync();
        return app;
    }

    private static Dictionary<string, string?> Route(string upstreamUrl) => new()
    {
        ["ReverseProxy:Routes:items:ClusterId"] = "up",
        ["ReverseProxy:Routes:items:Match:Path"] = "/api/items/{id}",
        ["ReverseProxy:Clusters:up:Destinations:d:Address"] = upstreamUrl + "/",
    };

    private static WebApplicationBuilder Slim()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder;
    }

    private static string Url(WebApplication app, string? exclude = null) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.TrimEnd('/')).First(a => a != exclude);
}
