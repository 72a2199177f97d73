using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Sidecar.Tests.Infrastructure;

/// <summary>A real sidecar on loopback ports chosen by the OS, in front of a <see cref="TestUpstream"/>, with its request events captured.</summary>
public sealed class TestSidecar : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789";
    public const string ReaderKey = "reader-key-secret-1";
    public const string PlainKey = "plain-key-secret-2";

    private readonly WebApplication _app;
    private readonly IStreamConsumer<RequestEvent>? _events;
    private readonly List<RequestEvent> _seen = [];

    private TestSidecar(WebApplication app, TestUpstream upstream, IStreamConsumer<RequestEvent>? events)
    {
        _app = app;
        Upstream = upstream;
        _events = events;
    }

    public TestUpstream Upstream { get; }
    public string ProxyUrl { get; private set; } = "";
    public string AdminUrl { get; private set; } = "";
    public IServiceProvider Services => _app.Services;

    public static Dictionary<string, string?> BaseConfiguration(TestUpstream upstream) => new()
    {
        ["Kestrel:Endpoints:Proxy:Url"] = "http://127.0.0.1:0",
        ["Sidecar:Admin:Url"] = "http://127.0.0.1:0",
        ["Sidecar:Admin:Token"] = AdminToken,
        ["Sidecar:Auth:Jwt:Authority"] = upstream.Url,
        ["Sidecar:Auth:Jwt:Audiences:0"] = TestUpstream.Audience,
        ["Sidecar:Auth:Jwt:ClockSkewSeconds"] = "5",
        ["Sidecar:Auth:ApiKeys:Keys:0:Id"] = "reader",
        ["Sidecar:Auth:ApiKeys:Keys:0:Sha256"] = Sha256(ReaderKey),
        ["Sidecar:Auth:ApiKeys:Keys:0:Roles:0"] = "reader",
        ["Sidecar:Auth:ApiKeys:Keys:1:Id"] = "plain",
        ["Sidecar:Auth:ApiKeys:Keys:1:Sha256"] = Sha256(PlainKey),
        ["Sidecar:RateLimiting:Policies:tight:Kind"] = "FixedWindow",
        ["Sidecar:RateLimiting:Policies:tight:PermitLimit"] = "3",
        ["Sidecar:RateLimiting:Policies:tight:WindowSeconds"] = "1",
        ["Sidecar:RateLimiting:Policies:generous:Kind"] = "TokenBucket",
        ["Sidecar:RateLimiting:Policies:generous:PermitLimit"] = "1000",
        ["Sidecar:RateLimiting:Policies:generous:TokensPerPeriod"] = "1000",
        ["ReverseProxy:Clusters:up:Destinations:d1:Address"] = upstream.Url + "/",
        ["ReverseProxy:Routes:open:ClusterId"] = "up",
        ["ReverseProxy:Routes:open:Match:Path"] = "/open/{**rest}",
        ["Sidecar:Routes:open:Auth"] = "anonymous",
        ["Sidecar:Routes:open:RateLimitPolicy"] = "generous",
        ["ReverseProxy:Routes:keys:ClusterId"] = "up",
        ["ReverseProxy:Routes:keys:Match:Path"] = "/keys/{**rest}",
        ["Sidecar:Routes:keys:Roles:0"] = "reader",
        ["Sidecar:Routes:keys:RateLimitPolicy"] = "generous",
        ["ReverseProxy:Routes:orders:ClusterId"] = "up",
        ["ReverseProxy:Routes:orders:Match:Path"] = "/orders/{**rest}",
        ["Sidecar:Routes:orders:Scopes:0"] = "orders:read",
        ["Sidecar:Routes:orders:RateLimitPolicy"] = "generous",
        ["ReverseProxy:Routes:admin:ClusterId"] = "up",
        ["ReverseProxy:Routes:admin:Match:Path"] = "/admin/{**rest}",
        ["Sidecar:Routes:admin:Roles:0"] = "admin",
        ["ReverseProxy:Routes:limited:ClusterId"] = "up",
        ["ReverseProxy:Routes:limited:Match:Path"] = "/limited/{**rest}",
        ["Sidecar:Routes:limited:Auth"] = "anonymous",
        ["Sidecar:Routes:limited:RateLimitPolicy"] = "tight",
        ["ReverseProxy:Routes:upload:ClusterId"] = "up",
        ["ReverseProxy:Routes:upload:Match:Path"] = "/upload/{**rest}",
        ["Sidecar:Routes:upload:Auth"] = "anonymous",
        ["Sidecar:Routes:upload:MaxRequestBodyBytes"] = "1024",
        // "closed" has no entry of its own: it gets the default policy (without one it would stop start-up).
        ["Sidecar:DefaultRoutePolicy:Auth"] = "authenticated",
        ["ReverseProxy:Routes:closed:ClusterId"] = "up",
        ["ReverseProxy:Routes:closed:Match:Path"] = "/closed/{**rest}",
        ["ReverseProxy:Routes:login:ClusterId"] = "up",
        ["ReverseProxy:Routes:login:Match:Path"] = "/login",
        ["Sidecar:Routes:login:Auth"] = "anonymous",
        ["Sidecar:Routes:login:LoginField"] = "username",
    };

    public static async Task<TestSidecar> StartAsync(Action<Dictionary<string, string?>>? configure = null, bool captureEvents = true)
    {
        var upstream = await TestUpstream.StartAsync();
        var config = BaseConfiguration(upstream);
        configure?.Invoke(config);
        try
        {
            var app = Build(config);
            var events = captureEvents ? app.Services.GetRequiredService<IStreamTransport>().CreateGroupConsumer(Streams.Requests, "test") : null;
            var sidecar = new TestSidecar(app, upstream, events);
            await app.StartAsync();
            sidecar.AdminUrl = app.Services.GetRequiredService<AdminEndpointInfo>().Url!;
            sidecar.ProxyUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Select(a => a.TrimEnd('/')).First(a => a != sidecar.AdminUrl);
            return sidecar;
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds the sidecar exactly as its Program does.</summary>
    public static WebApplication Build(Dictionary<string, string?> config)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        builder.AddAdminListener("Sidecar:Admin");
        builder.AddSidecar();
        var app = builder.Build();
        app.UseAdminListener();
        app.MapSidecar();
        return app;
    }

    /// <summary>An HTTP client whose connections come from <paramref name="localAddress"/> (any 127.x address), to play distinct clients.</summary>
    public HttpClient Client(string localAddress = "127.0.0.1") => CreateClient(ProxyUrl, localAddress);

    public HttpClient Admin(bool withToken = true)
    {
        var client = CreateClient(AdminUrl, "127.0.0.1");
        if (withToken)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
        }

        return client;
    }

    public static HttpClient CreateClient(string baseUrl, string localAddress) => LoopbackClient.Create(baseUrl, localAddress);

    /// <summary>Waits (bounded) for a request event matching <paramref name="match"/>; fails the test if none comes.</summary>
    public async Task<RequestEvent> EventAsync(Func<RequestEvent, bool> match, TimeSpan? timeout = null)
    {
        lock (_seen)
        {
            var found = _seen.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }
        }

        if (_events is null)
        {
            throw new InvalidOperationException("this sidecar was started without capturing events");
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            StreamMessage<RequestEvent> message;
            try
            {
                message = await _events.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException("No matching request event was published.");
            }

            _events.Commit(message);
            lock (_seen)
            {
                _seen.Add(message.Value!);
            }

            if (match(message.Value!))
            {
                return message.Value!;
            }
        }
    }

    public static string Sha256(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));

    public async ValueTask DisposeAsync()
    {
        _events?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
