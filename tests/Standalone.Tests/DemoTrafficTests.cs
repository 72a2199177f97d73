using System.Net.Http.Headers;
using System.Text.Json;
using Analytics.Messaging;
using Analytics.Standalone;
using Analytics.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Analytics.Standalone.Tests;

/// <summary>The demo under its own traffic mix (--traffic): what the sidecar learns and what the analyzer decides.</summary>
public sealed class DemoTrafficTests : IAsyncLifetime
{
    private DemoHost _demo = null!;

    private StandaloneHost Host => _demo.Host;

    public async Task InitializeAsync() => _demo = await DemoHost.StartAsync();

    public async Task DisposeAsync() => await _demo.DisposeAsync();

    [Fact]
    public async Task The_catalog_of_demo_traffic_exports_a_valid_openapi_document_with_templated_paths()
    {
        var summary = await PlayDemoTrafficAsync();
        Assert.True(summary.Sent > 200, $"the traffic generator sent only {summary.Sent} requests");

        using var admin = Admin();
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

    [Fact]
    public async Task Benign_demo_traffic_has_no_inspection_findings()
    {
        // Every user, NAT, integration and crawler of the demo mix, no attackers: with the learned
        // model on (the default), none of their requests may look like an injection. A group of
        // its own on the requests stream sees every event the sidecar produced.
        using var events = Host.App.Services.GetRequiredService<IStreamTransport>().CreateGroupConsumer(Streams.Requests, "demo-traffic-test");
        var traffic = TrafficOptions.Demo();
        traffic.BenignOnly = true;
        traffic.Speed = 40;
        var summary = await new HttpTrafficDriver(new Uri(Host.ProxyUrl), traffic).RunAsync(CancellationToken.None);
        Assert.True(summary.Sent > 200, $"the traffic generator sent only {summary.Sent} requests");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var inspected = 0;
        var flagged = new List<string>();
        for (var read = 0; read < summary.Sent; read++)
        {
            var message = await events.ReadAsync(timeout.Token);
            events.Commit(message);
            if (message.Value?.Inspection is { } inspection)
            {
                inspected++;
                if (inspection.Rules.Count > 0)
                {
                    flagged.Add($"{message.Value.Method} {message.Value.PathTemplate}: {string.Join(",", inspection.Rules)}");
                }
            }
        }

        // Requests refused before inspection (rate limits at this speed) carry no inspection record.
        Assert.True(inspected > 100, $"only {inspected} of {summary.Sent} requests were inspected");
        Assert.True(flagged.Count == 0, $"{flagged.Count} benign requests had findings: {string.Join("; ", flagged.Distinct().Take(10))}");
    }

    // The demo mix as --traffic plays it (users, look-alikes and one attacker per class), sped up.
    private async Task<TrafficRunSummary> PlayDemoTrafficAsync()
    {
        var traffic = TrafficOptions.Demo();
        traffic.Speed = 40;
        traffic.MaxRequests = 3000;
        return await new HttpTrafficDriver(new Uri(Host.ProxyUrl), traffic).RunAsync(CancellationToken.None);
    }

    private HttpClient Admin()
    {
        var admin = LoopbackClient.Create(Host.AdminUrl);
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneDemo.AdminToken);
        return admin;
    }
}
