using Analytics.Messaging;
using Analytics.Sidecar.Catalog;
using BenchmarkDotNet.Attributes;

namespace Analytics.Bench.Sidecar;

/// <summary>
/// What the API catalog costs per request for a hostile target against a plain one of the same
/// length (issue 12, item 1): a 7.8 KB target of <c>a%2F</c> repeated (2,000 segments once
/// decoded), the same segments with plain slashes, and one long plain segment.
/// </summary>
[MemoryDiagnoser]
public class CatalogTemplatingBenchmarks
{
    public static readonly string EncodedSlashes = "/api/items/" + string.Concat(Enumerable.Repeat("a%2F", 1950));
    public static readonly string PlainSlashes = "/api/items/" + string.Concat(Enumerable.Repeat("a/", 3900));
    public static readonly string PlainSegment = "/api/items/" + new string('a', 7800);

    private ApiCatalog _catalog = null!;

    [GlobalSetup]
    public void Setup() => _catalog = new ApiCatalog(new CatalogOptions(), TimeProvider.System);

    [Benchmark(Baseline = true)]
    public string PlainLongSegment() => Observe(PlainSegment);

    [Benchmark]
    public string ManyPlainSegments() => Observe(PlainSlashes);

    [Benchmark]
    public string EncodedSlashSegments() => Observe(EncodedSlashes);

    private string Observe(string target) => _catalog.Observe("GET", target, "items", 200, PrincipalKinds.Anonymous, null, null);
}
