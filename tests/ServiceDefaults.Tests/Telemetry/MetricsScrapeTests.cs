using System.Diagnostics.Metrics;
using System.Net;
using Analytics.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.ServiceDefaults.Tests.Telemetry;

public sealed class MetricsScrapeTests
{
    [Fact]
    public async Task Metrics_from_every_analytics_meter_are_scraped_behind_the_admin_token()
    {
        await using var host = await AdminHost.StartAsync();
        var meters = host.App.Services.GetRequiredService<IMeterFactory>();
        // A feature's meter, and one named in lower case: both match the Analytics.* pattern.
        var feature = meters.Create("Analytics.TestFeature").CreateCounter<long>("analytics.test_feature.things");
        var lower = meters.Create("analytics.streams.test").CreateCounter<long>("analytics.streams.test_lag");
        var other = meters.Create("Other.Library").CreateCounter<long>("other.library.calls");
        feature.Add(3);
        lower.Add(5);
        other.Add(7);
        using var admin = host.Client(AdminHost.Token);
        using var anonymous = host.Client();

        var text = await ScrapeUntilAsync(admin, "analytics_test_feature_things_total");
        feature.Add(4);
        var moved = await ScrapeUntilAsync(admin, "analytics_test_feature_things_total{otel_scope_name=\"Analytics.TestFeature\"} 7");
        using var denied = await anonymous.GetAsync("/metrics");

        Assert.Contains("analytics_test_feature_things_total{otel_scope_name=\"Analytics.TestFeature\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("analytics_streams_test_lag_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain("other_library_calls", moved, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
    }

    /// <summary>The exporter caches a scrape briefly, so a new value may take another scrape to show.</summary>
    private static async Task<string> ScrapeUntilAsync(HttpClient client, string expected)
    {
        var text = "";
        for (var attempt = 0; attempt < 50 && !text.Contains(expected, StringComparison.Ordinal); attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(100);
            }

            text = await client.GetStringAsync("/metrics");
        }

        Assert.Contains(expected, text, StringComparison.Ordinal);
        return text;
    }
}
