using System.Text.Json;
using Analytics.Detection.Features;
using Analytics.Detection.Ingest;
using Analytics.Detection.Model;
using Analytics.Traffic;

namespace Analytics.Analyzer.Tests.Detection.Model;

public sealed class OneVersusAllTreesTests
{
    [Fact]
    public void The_shipped_class_model_is_scored_directly_with_exactly_ml_nets_classes_and_scores()
    {
        var path = ModelHolder.Resolve("models/default.zip");
        Assert.NotNull(path);
        var card = JsonSerializer.Deserialize(File.ReadAllText(Path.ChangeExtension(path, ".json")), ModelJsonContext.Default.ModelCard)!;
        var classes = Path.Combine(Path.GetDirectoryName(path)!, card.Classifier!);
        var direct = AttackClassifier.Load(classes, card);
        var mlNet = AttackClassifier.Load(classes, card, direct: false);
        Assert.True(direct.ScoresDirectly);
        Assert.False(mlNet.ScoresDirectly);

        // Real windows of every attack class and the benign look-alikes, then random vectors far outside them.
        var traffic = new TrafficOptions
        {
            Seed = 41,
            Duration = TimeSpan.FromMinutes(12),
            BrowsingUsers = 60,
            NatGroups = 2,
            BatchIntegrations = 2,
            Crawlers = 2,
            AttackersPerClass = 2,
        };
        var events = TrafficGenerator.Generate(traffic).Select(e => new InputEvent(e.Event, e.Label, e.AttackClass));
        var windows = WindowSampler.Sample(events, new FeatureOptions(), minRequests: 1).Select(w => w.Features).ToList();
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            windows.Add([.. Enumerable.Range(0, F.Count).Select(_ => (float)(random.NextDouble() < 0.3 ? 0 : Math.Exp(random.NextDouble() * 9) - 1))]);
        }

        Assert.True(windows.Count > 3_000, $"only {windows.Count} windows");
        var predicted = new HashSet<string>();
        foreach (var w in windows)
        {
            var expected = mlNet.Classify(w);
            var actual = direct.Classify(w);
            Assert.Equal(expected.Class, actual.Class);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected.Score), BitConverter.SingleToInt32Bits(actual.Score));
            predicted.Add(actual.Class);
        }

        // The rows reach more than one branch of the model: several classes are predicted.
        Assert.True(predicted.Count >= 4, string.Join(",", predicted));
    }
}
