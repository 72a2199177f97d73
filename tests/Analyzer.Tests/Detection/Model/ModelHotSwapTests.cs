using System.Text.Json;
using Analytics.Analyzer.Decisions;
using Analytics.Detection;
using Analytics.Detection.Decisions;
using Analytics.Detection.Evaluation;
using Analytics.Detection.Model;
using Analytics.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Analyzer.Tests.Detection.Model;

public sealed class ModelHotSwapTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("analyzer-model-").FullName;

    [Fact]
    public async Task Replacing_the_model_file_changes_scoring_without_dropping_events()
    {
        var path = CopyDefaultModel();
        using var holder = ModelHolder.FromFile(path);
        holder.Watch(path);
        var swapped = new TaskCompletionSource<AnomalyModel>(TaskCreationOptions.RunContinuationsAsynchronously);
        holder.Swapped += m => swapped.TrySetResult(m);

        var options = new AnalyzerOptions();
        // The class model would (rightly) call these benign windows benign; the point here is the threshold swap.
        options.Model.ClassifierVeto = false;
        var pipeline = PipelineFactory.Create(options, holder, new FakeTimeProvider(TestEvents.T0), rules: false);
        var events = TrafficGenerator.Generate(Scenarios.LookAlikes(nats: 1, batches: 1, crawlers: 0, seed: 31)).Select(e => e.Event).ToList();
        var outcomes = new List<AnalyzerOutcome>();
        var fed = 0;

        // Benign traffic under the shipped model: nothing.
        foreach (var e in events.Take(events.Count / 2))
        {
            pipeline.Process(e, outcomes);
            fed++;
        }

        Assert.Empty(outcomes);

        // Publish a model whose threshold flags everything, the way train does: temp file, then move.
        var card = JsonSerializer.Deserialize(await File.ReadAllTextAsync(Path.ChangeExtension(path, ".json")), ModelJsonContext.Default.ModelCard)! with { Name = "strict", Threshold = 0.0001 };
        var tmp = Path.Combine(_dir, "card.tmp");
        await File.WriteAllTextAsync(tmp, JsonSerializer.Serialize(card, ModelJsonContext.Default.ModelCard));
        File.Move(tmp, Path.ChangeExtension(path, ".json"), overwrite: true);

        // Keep feeding while the watcher reloads; the swap happens between two events.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var rest = events.Skip(events.Count / 2).ToList();
        var i = 0;
        while (!swapped.Task.IsCompleted && i < rest.Count / 2)
        {
            pipeline.Process(rest[i++], outcomes);
            fed++;
            if (i % 500 == 0)
            {
                await Task.Yield();
            }
        }

        var model = await swapped.Task.WaitAsync(guard.Token);
        Assert.Equal("strict", model.Card.Name);
        for (; i < rest.Count; i++)
        {
            pipeline.Process(rest[i], outcomes);
            fed++;
        }

        Assert.Equal(fed, pipeline.Events);
        Assert.Equal(events.Count, fed);
        Assert.Contains(outcomes, o => o.Decision?.Source == "model:strict");
        Assert.DoesNotContain(outcomes, o => o.Decision?.Source == "model:default");
    }

    [Fact]
    public void A_broken_model_file_keeps_the_current_model()
    {
        var path = CopyDefaultModel();
        using var holder = ModelHolder.FromFile(path);
        var before = holder.Current;
        File.WriteAllText(path, "not a zip");
        Exception? failure = null;
        holder.LoadFailed += ex => failure = ex;
        Assert.False(holder.Reload());
        Assert.Same(before, holder.Current);
        Assert.NotNull(failure);
    }

    [Fact]
    public void Anomaly_decisions_name_the_top_contributing_features()
    {
        var (_, outcomes) = Scenarios.Run(Scenarios.Attack(Messaging.AlertTypes.Flood), model: Scenarios.DefaultModel(), rules: false);
        var anomaly = outcomes.First(o => o.Alert.Type == Messaging.AlertTypes.Anomaly);
        Assert.Equal(3, anomaly.Alert.Evidence!.TopFeatures.Count);
        Assert.Contains(anomaly.Alert.Evidence.TopFeatures, t => t.Feature.StartsWith("rate", StringComparison.Ordinal) || t.Feature.StartsWith("requests", StringComparison.Ordinal) || t.Feature == "ratio_429_1m");
        Assert.StartsWith("model:", anomaly.Decision!.Source, StringComparison.Ordinal);
        Assert.True(anomaly.Alert.Evidence.Thresholds["anomaly_score"] > 0);
        // The shipped model has a class model: the anomaly is attributed to an attack class.
        Assert.Contains(anomaly.Alert.Evidence.Features.Keys, k => k.StartsWith("class_score:", StringComparison.Ordinal));
        Assert.Contains("Likely attack class", anomaly.Alert.Evidence.Explanation, StringComparison.Ordinal);
    }

    /// <summary>Copies the shipped model, its card and its class model; the copy keeps the class model's file name the card refers to.</summary>
    private string CopyDefaultModel()
    {
        var source = ModelHolder.Resolve("models/default.zip")!;
        var path = Path.Combine(_dir, "live.zip");
        File.Copy(source, path);
        File.Copy(Path.ChangeExtension(source, ".json"), Path.ChangeExtension(path, ".json"));
        var classes = Path.ChangeExtension(source, ".classes.zip");
        if (File.Exists(classes))
        {
            File.Copy(classes, Path.Combine(_dir, Path.GetFileName(classes)));
        }

        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
