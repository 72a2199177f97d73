using Analytics.Detection.Features;
using Analytics.Messaging;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Features;

public sealed class FeatureStoreTests
{
    [Fact]
    public void A_million_distinct_ips_stay_under_the_entity_cap()
    {
        var options = new FeatureOptions { MaxEntities = 20_000 };
        var store = new FeatureStore(options);
        var template = Get("0.0.0.0", T0, "/api/status", template: "/api/status");
        var peak = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            // All within one minute of event time: nothing is idle, so only the cap can evict.
            var e = template with { ClientIp = $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}", Timestamp = T0.AddTicks(i * 600L) };
            store.Observe(e);
            peak = Math.Max(peak, store.TrackedEntities);
        }

        Assert.True(peak <= options.MaxEntities, $"peak {peak} entities over cap {options.MaxEntities}");
        Assert.True(store.Evicted >= 1_000_000 - options.MaxEntities);
    }

    [Fact]
    public void Idle_entities_are_evicted_by_event_time()
    {
        var store = new FeatureStore(new FeatureOptions { IdleTimeout = TimeSpan.FromMinutes(5) });
        for (var i = 0; i < 100; i++)
        {
            store.Observe(Get($"192.0.2.{i}", T0, "/a"));
        }

        store.Observe(Get("198.51.100.1", T0.AddMinutes(10), "/a"));
        store.Sweep();
        Assert.Equal(1, store.Count(EntityScope.Ip));
        Assert.NotNull(store.Find(EntityScope.Ip, "198.51.100.1"));
    }

    [Fact]
    public void State_per_tracked_entity_is_at_most_one_kilobyte()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var states = new EntityState[1000];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = new EntityState("k");
        }

        var perEntity = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)states.Length;
        Assert.True(perEntity <= 1024, $"{perEntity} bytes per entity");
        GC.KeepAlive(states);
    }

    [Fact]
    public void Late_events_within_tolerance_count_and_older_ones_are_dropped()
    {
        var store = new FeatureStore(new FeatureOptions { LateTolerance = TimeSpan.FromSeconds(30) });
        store.Observe(FailedLogin("192.0.2.1", T0.AddSeconds(40)));
        store.Observe(FailedLogin("192.0.2.1", T0.AddSeconds(20)));  // 20 s late: kept
        store.Observe(FailedLogin("192.0.2.1", T0.AddSeconds(5)));   // 35 s late: dropped
        var f = new float[F.Count];
        store.Find(EntityScope.Ip, "192.0.2.1")!.Compute(f);
        Assert.Equal(2, f[F.AuthFailures1m]);
        Assert.Equal(1, store.LateEvents);
    }

    [Fact]
    public void Distinct_counts_and_sequential_ids_are_estimated()
    {
        var store = new FeatureStore(new FeatureOptions());
        for (var i = 0; i < 50; i++)
        {
            store.Observe(Get("192.0.2.7", T0.AddMilliseconds(i * 500), $"/api/items/{100 + i}", template: "/api/items/{id}"));
        }

        var f = new float[F.Count];
        store.Find(EntityScope.Ip, "192.0.2.7")!.Compute(f);
        Assert.InRange(f[F.DistinctIds1m], 40, 60);
        Assert.InRange(f[F.DistinctPaths1m], 35, 70);
        Assert.Equal(1, f[F.DistinctTemplates1m], 0.5);
        Assert.True(f[F.SequentialRatio1m] > 0.9);
        Assert.True(f[F.InterArrivalCv] < 0.1);
    }

    [Fact]
    public void Events_are_tracked_per_ip_key_subject_and_route()
    {
        var store = new FeatureStore(new FeatureOptions());
        var touched = store.Observe(Get("192.0.2.8", T0, "/api/items/1", template: "/api/items/{id}") with { Principal = new PrincipalInfo(PrincipalKinds.ApiKey, "k1") });
        Assert.NotNull(touched.Ip);
        Assert.NotNull(touched.ApiKey);
        Assert.Null(touched.Subject);
        Assert.Equal("/api/items/{id}", touched.Route!.Key);
    }
}
