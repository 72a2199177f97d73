using System.Text;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.Inspection.Model;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;

namespace Analytics.Bench.Inspection;

/// <summary>
/// Inspection cost per request (rules and the learned model, as the middleware runs it on a
/// route with UseModel, and rules alone, the default): a typical GET and JSON bodies of 1 KB,
/// 16 KB and 256 KB inspected whole. Header values' findings are cached across requests, so the
/// typical GET is also measured with a User-Agent and Referer never seen before.
/// Run: dotnet run -c Release --project bench/Analytics.Bench -- --filter '*InspectionBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class InspectionBenchmarks
{
    private InspectionEngine _engine = null!;
    private readonly FindingSet _findings = new();
    private InspectionInput _get;
    private InspectionInput _json1k;
    private InspectionInput _json16k;
    private InspectionInput _json256k;
    private InspectionInput[] _unseen = [];
    private int _nextUnseen;

    /// <summary>Whether the learned model scores the request too (a route's UseModel).</summary>
    [Params(true, false)]
    public bool Model { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var modelPath = InspectionEngineHolder.ResolvePath("models/inspection-model.zip", Directory.GetCurrentDirectory());
        var model = modelPath is null ? null : LearnedScorer.Load(modelPath, ModelCard.TryRead(modelPath)?.Threshold ?? 0.5);
        _engine = new InspectionEngine(new InspectionOptions(), model);
        var headers = new HeaderDictionary
        {
            ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
            ["Referer"] = "https://shop.example.com/catalog?page=2",
            ["Cookie"] = "session=9f86d081884c7d659a2feaa0c55ad015; theme=dark",
            ["Accept"] = "application/json",
        };
        _get = new InspectionInput("GET", "/api/items/42", "fields=name,price&sort=-created&page=3&q=red+shoes", headers, ReadOnlyMemory<byte>.Empty, null, false);
        // Sixteen times the header cache's slots: a value's slot is taken by others before it comes round again.
        _unseen = new InspectionInput[16384];
        for (var i = 0; i < _unseen.Length; i++)
        {
            var h = new HeaderDictionary
            {
                ["User-Agent"] = headers["User-Agent"] + " build/" + i,
                ["Referer"] = headers["Referer"] + "&ref=" + i,
                ["Cookie"] = headers["Cookie"],
                ["Accept"] = headers["Accept"],
            };
            _unseen[i] = _get with { Headers = h };
        }

        _json1k = Json(headers, 1024);
        _json16k = Json(headers, 16 * 1024);
        _json256k = Json(headers, 256 * 1024);
    }

    private static InspectionInput Json(IHeaderDictionary headers, int size)
    {
        var sb = new StringBuilder("{\"items\":[");
        var i = 0;
        while (sb.Length < size - 120)
        {
            sb.Append(i == 0 ? "" : ",").Append("{\"id\":").Append(i).Append(",\"name\":\"Item number ").Append(i)
              .Append("\",\"note\":\"Deliver to the back door, ring twice\",\"qty\":").Append(i % 7 + 1).Append('}');
            i++;
        }

        sb.Append("],\"customer\":\"O'Brien\"}");
        return new InspectionInput("POST", "/api/orders", null, headers, Encoding.UTF8.GetBytes(sb.ToString()), "application/json", false);
    }

    private int Run(in InspectionInput input)
    {
        _findings.Reset(null);
        return _engine.Inspect(input, _findings, useModel: Model).Score;
    }

    [Benchmark(Baseline = true)]
    public int TypicalGet() => Run(_get);

    [Benchmark]
    public int TypicalGetUnseenHeaders() => Run(_unseen[_nextUnseen++ & (_unseen.Length - 1)]);

    [Benchmark]
    public int Json1K() => Run(_json1k);

    [Benchmark]
    public int Json16K() => Run(_json16k);

    [Benchmark]
    public int Json256K() => Run(_json256k);
}
