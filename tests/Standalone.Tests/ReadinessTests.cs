using System.Net;

namespace Analytics.Standalone.Tests;

public sealed class ReadinessTests : IDisposable
{
    private readonly string _data = StandaloneDemo.NewDataDirectory();

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Readyz_is_open_and_unready_while_the_enabled_anomaly_model_is_missing()
    {
        await using (var missing = await StandaloneDemo.StartDemoAsync(_data, extra: new Dictionary<string, string?> { ["Analyzer:Model:Path"] = Path.Combine(_data, "no-such-model.zip") }))
        {
            using var probe = new HttpClient { BaseAddress = new Uri(missing.AdminUrl) };
            using var unready = await probe.GetAsync("/readyz");
            using var live = await probe.GetAsync("/healthz");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
            Assert.Equal("Unhealthy", await unready.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        await using var loaded = await StandaloneDemo.StartDemoAsync(_data);
        using var client = new HttpClient { BaseAddress = new Uri(loaded.AdminUrl) };
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
