using System.Net;
using Analytics.ServiceDefaults.Hosting;

namespace Analytics.Standalone.Tests;

public sealed class ReadinessTests : IDisposable
{
    private readonly string _data = StandaloneDemo.NewDataDirectory();

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_configured_anomaly_model_that_is_missing_stops_start_up_with_one_line_and_the_shipped_one_makes_it_ready()
    {
        var missing = Path.Combine(_data, "no-such-model.zip");
        var ex = await Record.ExceptionAsync(async () =>
            await (await StandaloneDemo.StartDemoAsync(_data, extra: new Dictionary<string, string?> { ["Analyzer:Model:Path"] = missing })).DisposeAsync());

        var failure = StartupFailure.From(ex!);
        Assert.True(failure is not null, ex?.ToString());
        Assert.StartsWith($"start-up error: Analyzer:Model:Path = '{missing}': file not found", Assert.Single(failure.Lines), StringComparison.Ordinal);

        await using var loaded = await StandaloneDemo.StartDemoAsync(_data);
        using var client = new HttpClient { BaseAddress = new Uri(loaded.AdminUrl) };
        using var ready = await client.GetAsync("/readyz");
        using var live = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
