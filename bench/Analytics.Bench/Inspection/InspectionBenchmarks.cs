using System.Text;
using Analytics.Inspection;
using Analytics.Inspection.Model;
using Analytics.Sidecar.Inspection;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;

namespace Analytics.Bench.Inspection;

/// <summary>
/// Inspection cost per request (rules and the learned model, as the middleware runs it on a
/// route with UseModel, and rules alone, the default): a typical GET and JSON bodies of 1 KB,
/// 16 KB and 256 KB inspected whole. Header values' findings are cached across requests, so the
/// typical GET is also measured with a User-Agent and Referer never seen before, and with a
/// browser's 20 headers all never seen before (every header is inspected).
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
    private InspectionInput[] _unseen20 = [];
    private int _nextUnseen20;

    /// <summary>Whether the learned model scores the request too (a route's UseModel).</summary>
    [Params(true, false)]
    public bool Model { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var modelPath = ModelPath.Resolve("models/inspection-model.zip", Directory.GetCurrentDirectory());
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

        // A browser's or an API client's full set of 20 headers, every value new to the cache (ids, traces, tokens, builds).
        _unseen20 = new InspectionInput[16384];
        for (var i = 0; i < _unseen20.Length; i++)
        {
            var h = new HeaderDictionary
            {
                ["Host"] = "shop.example.com",
                ["User-Agent"] = headers["User-Agent"] + " build/" + i,
                ["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0." + (i % 9),
                ["Accept-Language"] = "en-US,en;q=0.9,de;q=0." + (i % 8),
                ["Accept-Encoding"] = "gzip, deflate, br" + (i % 2 == 0 ? ", zstd" : "") + ";q=1." + (i % 10),
                ["Referer"] = headers["Referer"] + "&ref=" + i,
                ["Cookie"] = "session=" + i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture) + "; theme=dark",
                ["Origin"] = "https://shop" + i + ".example.com",
                ["Sec-Fetch-Dest"] = "empty",
                ["Sec-Fetch-Mode"] = "cors",
                ["Sec-Fetch-Site"] = "same-origin",
                ["Sec-CH-UA"] = "\"Not_A Brand\";v=\"8\", \"Chromium\";v=\"" + (100 + i) + "\", \"Google Chrome\";v=\"120\"",
                ["Sec-CH-UA-Mobile"] = "?0",
                ["Sec-CH-UA-Platform"] = "\"Linux\"",
                ["X-Request-Id"] = Guid.NewGuid().ToString(),
                ["traceparent"] = "00-" + Guid.NewGuid().ToString("N") + "-" + i.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + "-01",
                ["X-Forwarded-For"] = "203.0.113." + (i % 250) + ", 10.0.0." + (i % 200),
                ["Authorization"] = "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI" + i + "IiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
                ["If-None-Match"] = "W/\"" + i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + "-120f\"",
                ["X-Client-Version"] = "web/4." + (i % 13) + "." + i,
            };
            _unseen20[i] = _get with { Headers = h };
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
    public int Get20UnseenHeaders() => Run(_unseen20[_nextUnseen20++ & (_unseen20.Length - 1)]);

    [Benchmark]
    public int Json1K() => Run(_json1k);

    [Benchmark]
    public int Json16K() => Run(_json16k);

    [Benchmark]
    public int Json256K() => Run(_json256k);
}
