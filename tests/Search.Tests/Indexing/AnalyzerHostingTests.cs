using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Analytics.Analyzer;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Search.Tests.Indexing;

/// <summary>The analyzer process hosts the indexer: events on the stream become archived documents that GET /search finds.</summary>
public sealed class AnalyzerHostingTests : IDisposable
{
    private const string Token = "search-test-admin-token";
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Events_are_indexed_and_found_through_the_admin_search_and_an_allowlist_change_is_audited()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["Analyzer:Model:Enabled"] = "false";
        builder.Configuration["Analyzer:Hangfire:Enabled"] = "false";
        builder.Configuration["Analyzer:Admin:Url"] = "http://127.0.0.1:0";
        builder.Configuration["Analyzer:Admin:Token"] = Token;
        builder.Configuration["Streams:InProcess:DataDirectory"] = _dir.Path;
        builder.Configuration["Search:FlushInterval"] = "00:00:00.100";
        builder.AddAdminListener("Analyzer:Admin");
        builder.AddAnalyzer();
        await using var app = builder.Build();
        app.UseAdminListener();
        app.UseAnalyzer();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);

        var now = DateTimeOffset.UtcNow;
        var requests = app.Services.GetRequiredService<IStreamTransport>().GetProducer(Streams.Requests);
        Assert.True(requests.TryPublish("203.0.113.7", Samples.Request("203.0.113.7", now.AddMinutes(-5), status: 401, id: "mine")));
        Assert.True(requests.TryPublish("198.51.100.1", Samples.Request("198.51.100.1", now.AddMinutes(-5), id: "other")));

        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<AdminEndpointInfo>().Url!) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        JsonElement rows;
        do
        {
            await Task.Delay(50, timeout.Token);
            rows = JsonDocument.Parse(await http.GetStringAsync("/search?q=" + Uri.EscapeDataString("source.ip:203.0.113.7") + "&since=1h&fields=event.id,http.response.status_code", timeout.Token)).RootElement;
        }
        while (rows.GetArrayLength() == 0);

        var row = Assert.Single(rows.EnumerateArray());
        Assert.Equal("mine", row.GetProperty("event.id").GetString());
        Assert.Equal(401, row.GetProperty("http.response.status_code").GetInt32());

        var bad = await http.GetAsync("/search?q=" + Uri.EscapeDataString("source.ip:1 and"), timeout.Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal(16, JsonDocument.Parse(await bad.Content.ReadAsStringAsync(timeout.Token)).RootElement.GetProperty("position").GetInt32());

        var allow = await http.PostAsync("/analyzer/allowlist", new StringContent("{\"scope\":\"ip\",\"value\":\"192.0.2.10\"}", System.Text.Encoding.UTF8, "application/json"), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, allow.StatusCode);
        var audit = JsonDocument.Parse(await http.GetStringAsync("/search?q=" + Uri.EscapeDataString("event.category:configuration") + "&fields=user.name,event.action,source.ip", timeout.Token)).RootElement;
        var entry = Assert.Single(audit.EnumerateArray());
        // The single admin token is the credential named "default"; named credentials are recorded by name.
        Assert.Equal("default", entry.GetProperty("user.name").GetString());
        Assert.Equal("allowlist-added", entry.GetProperty("event.action").GetString());
        Assert.Equal("192.0.2.10", entry.GetProperty("source.ip").GetString());

        await app.StopAsync(timeout.Token);
        Assert.True(Directory.Exists(Path.Combine(_dir.Path, "search")));
    }

    public void Dispose() => _dir.Dispose();
}
