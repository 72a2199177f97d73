using Analytics.Analyzer;
using Analytics.Analyzer.Decisions;
using Analytics.Detection;
using Analytics.Detection.Decisions;
using Analytics.Detection.Evaluation;
using Analytics.Detection.Features;
using Analytics.Detection.Model;
using Analytics.Messaging;
using Analytics.Traffic;
using BenchmarkDotNet.Attributes;

namespace Analytics.Bench.Analyzer;

/// <summary>
/// Events per second through features + rules + model scoring on one thread, over the
/// generator's mixed traffic (benign crowd, NATs, batch, crawlers and every attack class).
/// Per-event time is the mean divided by the events per operation; events/s = 1 / that.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerPipelineBenchmarks
{
    private RequestEvent[] _events = [];
    private ModelHolder? _model;
    private AnalyzerPipeline _pipeline = null!;
    private readonly List<AnalyzerOutcome> _outcomes = [];

    public const int Events = 50_000;

    [Params(true, false)]
    public bool WithModel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _events = [.. TrafficGenerator.Generate(new TrafficOptions { Seed = 3, BrowsingUsers = 1000 }).Select(e => e.Event).Take(Events)];
        var path = ModelHolder.Resolve("models/default.zip") ?? throw new FileNotFoundException("run from the repository root: models/default.zip");
        _model = ModelHolder.FromFile(path);
    }

    [IterationSetup]
    public void NewPipeline() => _pipeline = PipelineFactory.Create(new AnalyzerOptions(), WithModel ? _model : null, TimeProvider.System);

    [Benchmark(OperationsPerInvoke = Events)]
    public int FeaturesRulesModel()
    {
        _outcomes.Clear();
        foreach (var e in _events)
        {
            _pipeline.Process(e, _outcomes);
        }

        return _outcomes.Count;
    }
}

/// <summary>Bytes allocated per newly tracked entity (state, dictionary slot amortised; the event itself is pre-built).</summary>
[MemoryDiagnoser]
public class EntityMemoryBenchmarks
{
    private const int N = 100_000;
    private RequestEvent[] _events = [];
    private FeatureStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        var t0 = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        _events = [.. Enumerable.Range(0, N).Select(i => new RequestEvent
        {
            Timestamp = t0.AddMilliseconds(i),
            ClientIp = $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}",
            Method = "GET",
            Path = "/api/status",
            PathTemplate = "/api/status",
            Status = 200,
        })];
    }

    [IterationSetup]
    public void NewStore() => _store = new FeatureStore(new FeatureOptions { MaxEntities = 10 * N });

    [Benchmark(OperationsPerInvoke = N)]
    public int TrackNewEntity()
    {
        foreach (var e in _events)
        {
            _store.Observe(e);
        }

        return _store.TrackedEntities;
    }
}
