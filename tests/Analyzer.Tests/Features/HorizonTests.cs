using static Analytics.Analyzer.Tests.TestEvents;

using Analytics.Detection.Features;

namespace Analytics.Analyzer.Tests.Features;

public sealed class HorizonTests
{
    [Fact]
    public void A_failure_every_half_minute_accumulates_on_the_hour_and_day_horizons()
    {
        var store = new FeatureStore(new FeatureOptions());
        for (var i = 0; i < 120; i++)
        {
            store.Observe(FailedLogin("192.0.2.30", T0.AddSeconds(i * 30)));
        }

        var f = new float[F.Count];
        store.Find(EntityScope.Ip, "192.0.2.30")!.Compute(f);
        // 120 failures over an hour, decayed with a one-hour time constant: 120 · (1 − e⁻¹) ≈ 76.
        Assert.InRange(f[F.AuthFailures1h], 70, 82);
        Assert.InRange(f[F.AuthFailures24h], 115, 120);
        Assert.True(f[F.AuthFailures10m] <= 21, "the ten-minute window has long forgotten most of them");
    }

    [Fact]
    public void Hour_horizon_forgets_after_hours_of_silence()
    {
        var store = new FeatureStore(new FeatureOptions { IdleTimeout = TimeSpan.FromDays(1) });
        for (var i = 0; i < 30; i++)
        {
            store.Observe(FailedLogin("192.0.2.31", T0.AddSeconds(i * 30)));
        }

        store.Observe(Get("192.0.2.31", T0.AddHours(5), "/api/status", template: "/api/status"));
        var f = new float[F.Count];
        store.Find(EntityScope.Ip, "192.0.2.31")!.Compute(f);
        Assert.True(f[F.AuthFailures1h] < 1, $"{f[F.AuthFailures1h]}");
        Assert.InRange(f[F.AuthFailures24h], 20, 30);
    }

    [Fact]
    public void Distinct_paths_over_the_hour_are_estimated_across_epochs()
    {
        var store = new FeatureStore(new FeatureOptions());
        for (var i = 0; i < 150; i++)
        {
            // One new page every 20 s: 50 minutes, so the sketch spans two half-hour epochs.
            store.Observe(Get("192.0.2.32", T0.AddSeconds(i * 20), $"/api/items/{i + 1}", template: "/api/items/{id}"));
        }

        var f = new float[F.Count];
        store.Find(EntityScope.Ip, "192.0.2.32")!.Compute(f);
        Assert.InRange(f[F.DistinctPaths1h], 100, 190);
        Assert.Equal(0, f[F.DistinctSources1h]);
    }

    [Fact]
    public void Aggregates_count_distinct_sources_and_ranges_follow_the_configured_prefixes()
    {
        var store = new FeatureStore(new FeatureOptions());
        for (var i = 0; i < 40; i++)
        {
            store.Observe(FailedLogin($"203.0.113.{i + 1}", T0.AddSeconds(i * 10), loginHash: $"h{i}"));
        }

        var f = new float[F.Count];
        var range = store.Find(EntityScope.Prefix, "203.0.113.0/24");
        Assert.NotNull(range);
        range.Compute(f);
        Assert.InRange(f[F.DistinctSources1h], 32, 48);
        Assert.Equal(40, f[F.AuthFailures10m]);
        Assert.Equal(40, store.Count(EntityScope.LoginTarget));
        Assert.Equal(1, store.Count(EntityScope.Fingerprint));
    }

    [Theory]
    [InlineData("203.0.113.77", 24, "203.0.113.0/24")]
    [InlineData("203.0.113.77", 20, "203.0.112.0/20")]
    [InlineData("::ffff:203.0.113.7", 24, "203.0.113.0/24")]
    [InlineData("2001:db8:1:2:3:4:5:6", 24, "2001:db8:1:2::/64")]
    public void Address_prefixes_mask_the_host_part(string ip, int v4, string expected) =>
        Assert.Equal(expected, AddressPrefix.Compute(ip, v4, 64));

    [Fact]
    public void Non_addresses_have_no_range() => Assert.Null(AddressPrefix.Compute("unknown", 24, 64));
}
