using Analytics.Analyzer.Decisions;
using Analytics.Detection;
using Analytics.Detection.Decisions;
using Analytics.Detection.Evaluation;
using Analytics.Detection.Ingest;
using Analytics.Detection.Model;
using Analytics.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Analyzer.Tests;

/// <summary>Runs generated traffic through a pipeline: the seeded generator is the golden scenario data.</summary>
internal static class Scenarios
{
    public static (List<LabelledEvent> Events, List<AnalyzerOutcome> Outcomes) Run(TrafficOptions traffic, AnalyzerOptions? options = null, ModelHolder? model = null, bool rules = true)
    {
        options ??= new AnalyzerOptions();
        var pipeline = PipelineFactory.Create(options, model, new FakeTimeProvider(TestEvents.T0), rules);
        var events = TrafficGenerator.Generate(traffic).ToList();
        var outcomes = new List<AnalyzerOutcome>();
        foreach (var e in events)
        {
            pipeline.Process(e.Event, outcomes);
        }

        return (events, outcomes);
    }

    /// <summary>One attack class among a small benign crowd with every look-alike.</summary>
    public static TrafficOptions Attack(string attackClass, int seed = 5) => new()
    {
        Seed = seed,
        Duration = TimeSpan.FromMinutes(20),
        BrowsingUsers = 30,
        NatGroups = 1,
        BatchIntegrations = 1,
        Crawlers = 1,
        AttackersPerClass = 2,
        AttackClasses = [attackClass],
    };

    /// <summary>Only the hard benign look-alikes: NATs, batch integrations, crawlers.</summary>
    public static TrafficOptions LookAlikes(int nats, int batches, int crawlers, int seed = 9) => new()
    {
        Seed = seed,
        Duration = TimeSpan.FromMinutes(30),
        BrowsingUsers = 0,
        NatGroups = nats,
        UsersPerNat = 60,
        BatchIntegrations = batches,
        Crawlers = crawlers,
        BenignOnly = true,
    };

    /// <summary>The stealthy variants of one class (and its fast ones) among a small crowd with every stealthy look-alike, over 75 minutes.</summary>
    public static TrafficOptions Stealthy(string attackClass, int seed = 5, bool benignOnly = false) => new()
    {
        Seed = seed,
        Duration = TimeSpan.FromMinutes(75),
        BrowsingUsers = 30,
        NatGroups = 1,
        BatchIntegrations = 1,
        Crawlers = 1,
        AttackersPerClass = 2,
        AttackClasses = [attackClass],
        LowAndSlow = false,
        Distributed = false,
        Stealthy = true,
        CarrierNats = 1,
        Universities = 1,
        Ipv6Homes = 4,
        SlowPollers = 1,
        Probes = 1,
        Typists = 8,
        BenignOnly = benignOnly,
    };

    /// <summary>Runs the traffic through a pipeline and an evaluator.</summary>
    public static (EvaluationResult Result, List<AnalyzerOutcome> Outcomes) Evaluate(TrafficOptions traffic, AnalyzerOptions? options = null, ModelHolder? model = null)
    {
        var pipeline = PipelineFactory.Create(options ?? new AnalyzerOptions(), model, new FakeTimeProvider(TestEvents.T0));
        var evaluator = new Evaluator();
        var outcomes = new List<AnalyzerOutcome>();
        foreach (var e in TrafficGenerator.Generate(traffic))
        {
            outcomes.AddRange(evaluator.Feed(pipeline, new InputEvent(e.Event, e.Label, e.AttackClass, e.Actor)));
        }

        return (evaluator.Result(), outcomes);
    }

    public static ModelHolder? DefaultModel()
    {
        var path = ModelHolder.Resolve("models/default.zip");
        return path is null ? null : ModelHolder.FromFile(path);
    }
}
