using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Analytics.Standalone;
using Microsoft.Extensions.Logging;

namespace Analytics.Standalone.Tests;

public sealed class RestartTests : IDisposable
{
    private readonly string _data = StandaloneDemo.NewDataDirectory();

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Decisions_survive_a_restart_and_lifted_ones_stay_lifted()
    {
        string keptId;
        await using (var first = await StandaloneDemo.StartDemoAsync(_data))
        {
            using var admin = Admin(first);
            keptId = await PostAsync(admin, """{"scope":"ip","value":"127.0.0.60","action":"block","reason":"manual","ttl_seconds":3600}""");
            var liftedId = await PostAsync(admin, """{"scope":"ip","value":"127.0.0.61","action":"block","reason":"manual","ttl_seconds":3600}""");
            using var lift = await admin.DeleteAsync($"/decisions/{liftedId}");
            Assert.Equal(HttpStatusCode.NoContent, lift.StatusCode);
        }

        Assert.True(File.Exists(Path.Combine(_data, "decisions.jsonl")));

        await using var second = await StandaloneDemo.StartDemoAsync(_data);
        using var blocked = LoopbackClient.Create(second.ProxyUrl, "127.0.0.60");
        using var lifted = LoopbackClient.Create(second.ProxyUrl, "127.0.0.61");

        using var refused = await blocked.GetAsync("/api/status");
        using var served = await lifted.GetAsync("/api/status");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        using var admin2 = Admin(second);
        Assert.Contains(keptId, await admin2.GetStringAsync("/decisions"));
    }

    [Fact]
    public async Task Demo_generates_an_admin_token_when_none_is_configured()
    {
        await using var host = await StandaloneHost.StartAsync([], new StandaloneSettings
        {
            Demo = true,
            Overrides = new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:Proxy:Url"] = "http://127.0.0.1:0",
                ["Sidecar:Admin:Url"] = "http://127.0.0.1:0",
                ["Demo:UpstreamUrl"] = "http://127.0.0.1:0",
                ["Streams:InProcess:DataDirectory"] = _data,
            },
            ConfigureBuilder = b => b.Logging.ClearProviders(),
        });

        Assert.True(host.AdminToken.Length >= 32);
        using var withToken = LoopbackClient.Create(host.AdminUrl);
        withToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AdminToken);
        using var stats = await withToken.GetAsync("/stats");
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
    }

    private static HttpClient Admin(StandaloneHost host)
    {
        var client = LoopbackClient.Create(host.AdminUrl);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneDemo.AdminToken);
        return client;
    }

    private static async Task<string> PostAsync(HttpClient admin, string json)
    {
        using var response = await admin.PostAsync("/decisions", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }
}
