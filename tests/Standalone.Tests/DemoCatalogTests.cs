using System.Net.Http.Headers;
using Analytics.Analyzer.Traffic;
using Analytics.Standalone;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Analytics.Standalone.Tests;

/// <summary>The API catalog the sidecar learns from the demo's traffic, exported as OpenAPI.</summary>
public sealed class DemoCatalogTests : IAsyncLifetime
{
    private readonly string _data = StandaloneDemo.NewDataDirectory();
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneDemo.StartDemoAsync(_data);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task The_catalog_of_demo_traffic_exports_a_valid_openapi_document_with_templated_paths()
    {
        // The demo mix as --traffic plays it (users, look-alikes and one attacker per class), sped up.
        var traffic = TrafficOptions.Demo();
        traffic.Speed = 40;
        traffic.MaxRequests = 3000;
        var summary = await new HttpTrafficDriver(new Uri(_host.ProxyUrl), traffic).RunAsync(CancellationToken.None);
        Assert.True(summary.Sent > 200, $"the traffic generator sent only {summary.Sent} requests");

        using var admin = LoopbackClient.Create(_host.AdminUrl);
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneDemo.AdminToken);
        var bytes = await admin.GetByteArrayAsync("/catalog/openapi.json");

        using var stream = new MemoryStream(bytes);
        var read = OpenApiDocument.Load(stream, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.NotNull(read.Document);
        Assert.Empty(read.Diagnostic!.Errors);
        var paths = read.Document!.Paths;

        // Many item and order ids, one operation each; the literal routes stay literal.
        Assert.Contains("/api/items/{id}", paths.Keys);
        Assert.Contains("/api/orders/{id}", paths.Keys);
        Assert.Contains("/api/status", paths.Keys);
        Assert.True(paths["/api/login"].Operations!.ContainsKey(HttpMethod.Post));
        Assert.DoesNotContain(paths.Keys, p => p.StartsWith("/api/items/", StringComparison.Ordinal) && char.IsDigit(p["/api/items/".Length]));
        Assert.Contains(paths["/api/items/{id}"].Parameters!, p => p.Name == "id" && p.In == ParameterLocation.Path && p.Required);
        Assert.True(paths.Count < 30, $"{paths.Count} paths: ids were not templated ({string.Join(", ", paths.Keys)})");
    }
}
