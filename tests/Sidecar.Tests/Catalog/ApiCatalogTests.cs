using System.Net;
using System.Text.Json;
using Analytics.Sidecar.Catalog;
using Analytics.Sidecar.Tests.Inspection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Analytics.Sidecar.Tests.Catalog;

public sealed class ApiCatalogTests
{
    [Fact]
    public async Task Proxied_requests_are_learned_with_templates_status_and_auth_mix()
    {
        await using var h = await ProxyHarness.StartAsync();

        await h.Client.GetAsync("/users/123");
        await h.Client.GetAsync("/users/456");
        await h.Client.GetAsync("/users/me");
        await h.Client.GetAsync("/missing/1");
        await h.LastTelemetryAsync(4);

        var snapshot = h.Services.GetRequiredService<ApiCatalog>().Snapshot();
        var users = Assert.Single(snapshot.Operations, o => o.Path == "/users/{id}");
        Assert.Equal(2, users.Count);
        Assert.Equal("GET", users.Method);
        Assert.Equal("api", users.RouteId);
        Assert.Equal(2, users.Status["2xx"]);
        Assert.Equal(2, users.Auth["anonymous"]);
        Assert.Single(snapshot.Operations, o => o.Path == "/users/me");
        Assert.Equal(1, Assert.Single(snapshot.Operations, o => o.Path == "/missing/{id}").Status["4xx"]);
    }

    [Fact]
    public void Memory_is_bounded_and_overflow_counted()
    {
        var catalog = new ApiCatalog(new CatalogOptions { MaxOperations = 2 }, new FakeTimeProvider());
        catalog.Record("GET", "/a", null, 200, "anonymous", null);
        catalog.Record("GET", "/b", null, 200, "anonymous", null);
        catalog.Record("GET", "/c", null, 200, "anonymous", null);
        catalog.Record("GET", "/a", null, 500, "jwt", null);

        var snapshot = catalog.Snapshot();
        Assert.Equal(2, snapshot.Operations.Count);
        Assert.Equal(1, snapshot.Overflow);
        Assert.Equal(2, snapshot.Operations[0].Count);
    }

    [Fact]
    public void First_and_last_seen_follow_the_clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var catalog = new ApiCatalog(new CatalogOptions(), time);
        catalog.Record("GET", "/a", null, 200, "anonymous", true);
        time.Advance(TimeSpan.FromHours(3));
        catalog.Record("GET", "/a", null, 200, "api_key", true);

        var op = Assert.Single(catalog.Snapshot().Operations);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), op.FirstSeen);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero), op.LastSeen);
        Assert.True(op.Documented);
    }

    [Fact]
    public async Task Admin_endpoints_serve_json_and_an_openapi_document_that_parses_back()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new ApiCatalog(new CatalogOptions(), TimeProvider.System));
        builder.Services.AddRouting();
        await using var app = builder.Build();
        var catalog = app.Services.GetRequiredService<ApiCatalog>();
        catalog.Record("GET", "/users/{id}", "api", 200, "jwt", null);
        catalog.Record("GET", "/users/me", "api", 200, "jwt", null);
        catalog.Record("POST", "/orders", "api", 201, "api_key", null);
        new CatalogAdminEndpoints(catalog).MapEndpoints(app);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(ProxyHarness.Address(app)) };

        var json = await client.GetStringAsync("/catalog");
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(3, parsed.RootElement.GetProperty("operations").GetArrayLength());

        var response = await client.GetAsync("/catalog/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var result = OpenApiDocument.Load(stream, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.NotNull(result.Document);
        Assert.Empty(result.Diagnostic!.Errors);
        Assert.True(result.Document!.Paths.ContainsKey("/users/{id}"));
        Assert.True(result.Document.Paths.ContainsKey("/users/me"));
        var users = result.Document.Paths["/users/{id}"];
        Assert.Contains(users.Parameters!, p => p.Name == "id" && p.In == ParameterLocation.Path);
        Assert.True(result.Document.Paths["/orders"].Operations!.ContainsKey(HttpMethod.Post));
        await app.StopAsync();
    }
}
