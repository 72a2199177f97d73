using System.Net;
using Analytics.Sidecar.Catalog;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Catalog;

/// <summary>
/// Templating work and memory are bounded whatever the path: measured by what it allocates and
/// stores (deterministic), never by time.
/// </summary>
public sealed class TemplatingCostTests
{
    [Fact]
    public void Allocation_is_linear_in_the_path_length_for_random_paths()
    {
        // Property over seeded random paths: bytes allocated <= 64 per character + a fixed 256 KB
        // (the tree's nodes for the first segments). Rehashing and copying the prefix per segment
        // is quadratic and breaks it from a few hundred segments on.
        var random = new Random(12);
        for (var run = 0; run < 40; run++)
        {
            var segments = random.Next(1, 3000);
            var path = RandomPath(random, segments);
            // A first run on another instance, so JIT compilation is not counted.
            new PathTemplater().Template(path);

            var before = GC.GetAllocatedBytesForCurrentThread();
            var fresh = new PathTemplater();
            fresh.Template(path);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(allocated <= (64L * path.Length) + (256 * 1024),
                $"{allocated} bytes for a path of {path.Length} characters in {segments} segments");
        }
    }

    [Fact]
    public void Only_the_first_segments_are_templated_and_the_rest_is_one_parameter()
    {
        var templater = new PathTemplater();
        var path = "/api/items/" + string.Concat(Enumerable.Repeat("a/", 2000));

        var template = templater.Template(path);

        Assert.Equal(templater.MaxSegments + 1, template.Count(c => c == '/'));
        Assert.EndsWith("/" + PathTemplater.RestParameter, template, StringComparison.Ordinal);
        Assert.True(templater.TrackedPrefixes <= templater.MaxSegments + 1);
    }

    [Fact]
    public void Long_segments_are_parameters_without_being_stored()
    {
        var templater = new PathTemplater();

        Assert.Equal("/files/{param}", templater.Template("/files/" + new string('w', templater.MaxSegmentLength + 1)));
        // Only "files", the root's value, is stored.
        Assert.Equal(1, templater.TrackedValues);
    }

    [Fact]
    public void The_prefix_cap_stops_at_the_cap_and_counts_what_it_did_not_store()
    {
        var templater = new PathTemplater(cardinalityLimit: 1000, maxTrackedPrefixes: 10);
        for (var i = 0; i < 100; i++)
        {
            templater.Template($"/w{(char)('a' + (i % 26))}{(char)('a' + (i / 26))}/x");
        }

        Assert.Equal(10, templater.TrackedPrefixes);
        Assert.True(templater.Untracked >= 90);
    }

    [Fact]
    public void A_flood_of_distinct_paths_keeps_memory_bounded()
    {
        var templater = new PathTemplater(cardinalityLimit: 50, maxTrackedPrefixes: 500, maxTrackedValues: 2000);
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            templater.Template(RandomPath(random, random.Next(1, 8)));
        }

        Assert.True(templater.TrackedPrefixes <= 500);
        Assert.True(templater.TrackedValues <= 2000);
        Assert.True(templater.Untracked > 0);
    }

    [Fact]
    public void The_catalog_reports_what_the_templater_could_not_store()
    {
        var catalog = new ApiCatalog(new CatalogOptions { MaxTrackedPrefixes = 2 }, TimeProvider.System);
        catalog.Observe("GET", "/a/b/c/d", "r", 200, "anonymous", null, null);

        Assert.True(catalog.Snapshot().Untracked > 0);
    }

    [Fact]
    public async Task A_blocked_clients_weird_path_is_refused_without_being_catalogued()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var admin = sidecar.Admin();
        using var posted = await admin.PostAsync("/decisions",
            HttpExtensions.Json("""{"scope":"ip","value":"127.0.0.41","action":"block","reason":"test","ttl_seconds":300}"""));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        using var blockedClient = sidecar.Client("127.0.0.41");
        var weird = "/open/" + string.Concat(Enumerable.Range(0, 300).Select(i => $"w{i}/"));
        using var blocked = await blockedClient.GetAsync(weird);
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        // The same weird path spelt with %2F is refused even earlier, at the edge.
        using var encoded = await blockedClient.GetAsync("/open/" + string.Concat(Enumerable.Repeat("a%2F", 2000)));
        Assert.Equal(HttpStatusCode.BadRequest, encoded.StatusCode);

        using var client = sidecar.Client("127.0.0.42");
        using var fine = await client.GetAsync("/open/hello");
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        // Events leave in completion order: once this one is out, the blocked ones were handled.
        await sidecar.EventAsync(e => e.RequestId == fine.RequestId());
        var blockedEvent = await sidecar.EventAsync(e => e.RequestId == blocked.RequestId());
        Assert.Equal("decision", blockedEvent.RejectedBy);

        using var catalog = await admin.GetAsync("/catalog");
        var paths = (await catalog.JsonAsync()).GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("path").GetString()!).ToList();
        Assert.Contains("/open/hello", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/open/w", StringComparison.Ordinal) || p.StartsWith("/open/a", StringComparison.Ordinal));
    }

    private static string RandomPath(Random random, int segments)
    {
        var chars = new char[segments * 6];
        var n = 0;
        for (var s = 0; s < segments; s++)
        {
            chars[n++] = '/';
            var length = random.Next(1, 5);
            for (var c = 0; c < length; c++)
            {
                chars[n++] = (char)('a' + random.Next(26));
            }
        }

        return new string(chars, 0, n);
    }
}
