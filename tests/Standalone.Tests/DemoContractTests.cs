using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Analytics.Standalone;

namespace Analytics.Standalone.Tests;

/// <summary>The demo as the README's table specifies it, through the sidecar.</summary>
public sealed class DemoContractTests : IAsyncLifetime
{
    private readonly string _data = StandaloneDemo.NewDataDirectory();
    private StandaloneHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await StandaloneDemo.StartDemoAsync(_data);
        _client = LoopbackClient.Create(_host.ProxyUrl, "127.0.0.50");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Status_is_anonymous()
    {
        using var response = await _client.GetAsync("/api/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("alice", "wonderland", HttpStatusCode.OK)]
    [InlineData("bob", "builder", HttpStatusCode.OK)]
    [InlineData("alice", "builder", HttpStatusCode.Unauthorized)]
    [InlineData("carol", "x", HttpStatusCode.Unauthorized)]
    public async Task Login_issues_tokens_only_for_the_demo_users(string user, string password, HttpStatusCode expected)
    {
        using var response = await _client.PostAsync("/api/login", Login(user, password));
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Items_need_the_demo_api_key()
    {
        using var without = await _client.GetAsync("/api/items/42");
        using var with = await Send(HttpMethod.Get, "/api/items/42", apiKey: "demo-reader-key");
        using var missing = await Send(HttpMethod.Get, "/api/items/1001", apiKey: "demo-reader-key");

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Orders_follow_the_token_scopes()
    {
        var alice = await TokenAsync("alice", "wonderland");
        var bob = await TokenAsync("bob", "builder");

        using var aliceReads = await Send(HttpMethod.Get, "/api/orders/7", bearer: alice);
        using var bobReads = await Send(HttpMethod.Get, "/api/orders/7", bearer: bob);
        using var aliceWrites = await Send(HttpMethod.Post, "/api/orders", bearer: alice, json: """{"items":[1,2]}""");
        using var bobWrites = await Send(HttpMethod.Post, "/api/orders", bearer: bob, json: """{"items":[1,2]}""");
        using var keyReads = await Send(HttpMethod.Get, "/api/orders/7", apiKey: "demo-reader-key");

        Assert.Equal(HttpStatusCode.OK, aliceReads.StatusCode);
        Assert.Equal("alice", JsonDocument.Parse(await aliceReads.Content.ReadAsStringAsync()).RootElement.GetProperty("owner").GetString());
        Assert.Equal(HttpStatusCode.OK, bobReads.StatusCode);
        Assert.Equal(HttpStatusCode.Created, aliceWrites.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bobWrites.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, keyReads.StatusCode);
    }

    [Fact]
    public async Task Admin_report_is_forbidden_to_everyone_in_the_demo()
    {
        using var alice = await Send(HttpMethod.Get, "/api/admin/report", bearer: await TokenAsync("alice", "wonderland"));
        using var anonymous = await _client.GetAsync("/api/admin/report");

        Assert.Equal(HttpStatusCode.Forbidden, alice.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Upstream_serves_oidc_metadata_and_jwks()
    {
        using var upstream = LoopbackClient.Create(_host.Upstream!.Url);
        var metadata = JsonDocument.Parse(await upstream.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        var jwks = JsonDocument.Parse(await upstream.GetStringAsync(new Uri(metadata.GetProperty("jwks_uri").GetString()!).PathAndQuery)).RootElement;

        Assert.Equal(_host.Upstream.Url, metadata.GetProperty("issuer").GetString());
        Assert.Equal("RSA", jwks.GetProperty("keys")[0].GetProperty("kty").GetString());
    }

    [Fact]
    public async Task Anonymous_routes_allow_50_per_second_per_ip()
    {
        using var burst = LoopbackClient.Create(_host.ProxyUrl, "127.0.0.51");
        var limited = false;
        for (var i = 0; i < 200 && !limited; i++)
        {
            using var response = await burst.GetAsync("/api/status");
            limited = response.StatusCode == HttpStatusCode.TooManyRequests;
            if (limited)
            {
                Assert.Equal("\"anonymous\";q=50;w=1", response.Headers.GetValues("RateLimit-Policy").Single());
            }
        }

        Assert.True(limited);
    }

    private async Task<string> TokenAsync(string user, string password)
    {
        using var response = await _client.PostAsync("/api/login", Login(user, password));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? bearer = null, string? apiKey = null, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _client.SendAsync(request);
    }

    private static StringContent Login(string user, string password) =>
        new($$"""{"username":"{{user}}","password":"{{password}}"}""", Encoding.UTF8, "application/json");
}
