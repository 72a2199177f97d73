using System.Security.Cryptography;
using System.Text;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Analytics.Sidecar;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>
/// The sidecar composed as its Program composes it (<c>AddAdminListener</c>, <c>AddSidecar</c>),
/// with the configuration of bench/sidecar-run.sh: routes items (GET) and orders (POST) behind an
/// API key with role reader, a per-principal token bucket, inspection in block mode with the
/// learned model. Built, never started: no listener, no hosted service; the benchmarks take the
/// request path's objects from its container. The requests stream goes to a serialising sink.
/// </summary>
internal static class StepHost
{
    public const string ApiKey = "bench-key-0123456789";

    public static WebApplication Build(SerializingStreamTransport sink)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(Configuration());
        builder.Logging.ClearProviders();
        builder.AddAdminListener("Sidecar:Admin");
        builder.AddSidecar();
        builder.Services.AddSingleton<IStreamTransport>(sink);
        return builder.Build();
    }

    private static Dictionary<string, string?> Configuration()
    {
        var config = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Proxy:Url"] = "http://127.0.0.1:0",
            ["ReverseProxy:Routes:items:ClusterId"] = "api",
            ["ReverseProxy:Routes:items:Match:Path"] = "/api/items/{id}",
            ["ReverseProxy:Routes:items:Match:Methods:0"] = "GET",
            ["ReverseProxy:Routes:orders:ClusterId"] = "api",
            ["ReverseProxy:Routes:orders:Match:Path"] = "/api/orders",
            ["ReverseProxy:Routes:orders:Match:Methods:0"] = "POST",
            ["ReverseProxy:Clusters:api:Destinations:main:Address"] = "http://127.0.0.1:9000/",
            ["Sidecar:Admin:Url"] = "http://127.0.0.1:0",
            ["Sidecar:Admin:Token"] = "bench-admin-token-0123456789",
            ["Sidecar:Auth:ApiKeys:Header"] = "X-Api-Key",
            ["Sidecar:Auth:ApiKeys:Keys:0:Id"] = "bench",
            ["Sidecar:Auth:ApiKeys:Keys:0:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey))),
            ["Sidecar:Auth:ApiKeys:Keys:0:Roles:0"] = "reader",
            // The load script's bucket holds 1,000,000 tokens; a benchmark spends more than that
            // in a second, so this one holds 1,000,000,000 to stay on the allowed path.
            ["Sidecar:RateLimiting:Policies:per-user:Kind"] = "TokenBucket",
            ["Sidecar:RateLimiting:Policies:per-user:PermitLimit"] = "1000000000",
            ["Sidecar:RateLimiting:Policies:per-user:TokensPerPeriod"] = "1000000000",
            ["Sidecar:RateLimiting:Policies:per-user:WindowSeconds"] = "1",
            ["Sidecar:Telemetry:Service"] = "bench",
            ["Streams:Transport"] = "InProcess",
        };
        foreach (var route in (string[])["items", "orders"])
        {
            config[$"Sidecar:Routes:{route}:Auth"] = "authenticated";
            config[$"Sidecar:Routes:{route}:Roles:0"] = "reader";
            config[$"Sidecar:Routes:{route}:RateLimitPolicy"] = "per-user";
            config[$"Sidecar:Routes:{route}:Inspection:Mode"] = "block";
        }

        return config;
    }
}
