using System.Text.Json;
using Analytics.Analyzer.Ingest;
using Analytics.Detection;
using Analytics.Detection.Evaluation;
using Analytics.Detection.Ingest;
using Analytics.Messaging;
using Analytics.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Analyzer.Tests.Cli;

public sealed class EvaluatorTests
{
    // Seed 11 is never used for training (the default model is trained on seed 1, docs evaluate seed 2).
    private static readonly TrafficOptions Mixed = new() { Seed = 11, BrowsingUsers = 400, AttackersPerClass = 3 };

    private static EvaluationResult Evaluate(bool rules)
    {
        var pipeline = PipelineFactory.Create(new AnalyzerOptions(), Scenarios.DefaultModel(), new FakeTimeProvider(TestEvents.T0), rules);
        var evaluator = new Evaluator();
        foreach (var e in TrafficGenerator.Generate(Mixed))
        {
            evaluator.Feed(pipeline, new InputEvent(e.Event, e.Label, e.AttackClass));
        }

        return evaluator.Result();
    }

    [Fact]
    public void Rules_and_model_catch_every_class_without_false_positives()
    {
        var result = Evaluate(rules: true);
        Assert.Equal(TrafficLabels.AttackClasses.Order(), result.Classes.Keys.Order());
        foreach (var (name, m) in result.Classes)
        {
            Assert.True(m.Recall >= 0.95, $"{name} recall {m.Recall}");
        }

        Assert.True(result.BenignEntities > 400);
        Assert.True(result.Overall.Fpr <= 0.001, $"FPR {result.Overall.Fpr}");
    }

    [Fact]
    public void The_model_alone_catches_flood_scraping_and_enumeration()
    {
        var result = Evaluate(rules: false);
        foreach (var cls in new[] { AlertTypes.Flood, AlertTypes.Scraping, AlertTypes.Enumeration })
        {
            Assert.True(result.Classes[cls].Recall >= 0.95, $"{cls} recall {result.Classes[cls].Recall}");
        }

        Assert.True(result.Overall.Fpr <= 0.001, $"FPR {result.Overall.Fpr}");
    }

    [Fact]
    public void Report_json_has_the_documented_shape()
    {
        var result = Evaluate(rules: true);
        using var doc = JsonDocument.Parse(EvaluationReport.Json(result));
        var overall = doc.RootElement.GetProperty("overall");
        foreach (var field in new[] { "precision", "recall", "fpr", "median_time_to_detect_s" })
        {
            Assert.True(overall.TryGetProperty(field, out _), field);
            Assert.True(doc.RootElement.GetProperty("classes").GetProperty(AlertTypes.BruteForce).TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public void Csv_labels_mark_unlisted_clients_benign()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "client,attack_class\n203.0.113.9,brute_force\n");
        var labels = Evaluator.ReadCsvLabels(path);
        File.Delete(path);
        var evaluator = new Evaluator { CsvLabels = labels };
        var pipeline = TestEvents.Pipeline();
        for (var i = 0; i < 10; i++)
        {
            evaluator.Feed(pipeline, new InputEvent(TestEvents.FailedLogin("203.0.113.9", TestEvents.T0.AddSeconds(i)), null, null));
            evaluator.Feed(pipeline, new InputEvent(TestEvents.Get("192.0.2.1", TestEvents.T0.AddSeconds(i), "/"), null, null));
        }

        var result = evaluator.Result();
        Assert.Equal(1, result.Classes[AlertTypes.BruteForce].Recall);
        Assert.Equal(1, result.BenignEntities);
        Assert.Equal(0, result.Overall.Fpr);
    }
}
