using Analytics.Detection;
using Analytics.Detection.Features;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Analytics.Detection.Model;

/// <summary>
/// The supervised model: FastTree (one-versus-all) over the same normalised window features,
/// trained where labelled attacks exist, naming the attack class of an anomalous window.
/// Consulted only after the anomaly model fires, so its cost stays off the common path.
/// </summary>
internal sealed class AttackClassifier
{
    private readonly Lock _gate = new();
    private readonly PredictionEngine<ClassifierRow, ClassifierOutput>? _engine;
    private readonly OneVersusAllTrees? _trees;
    private readonly int[] _index;
    private readonly float[] _mean;
    private readonly float[] _std;

    private AttackClassifier(OneVersusAllTrees? trees, PredictionEngine<ClassifierRow, ClassifierOutput>? engine, ModelCard card)
    {
        _trees = trees;
        _engine = engine;
        _index = [.. card.Features.Select(n => Array.IndexOf(F.Names, n))];
        _mean = [.. card.NormalisationMean];
        _std = [.. card.NormalisationStd];
    }

    /// <summary>True when the trees are evaluated in place rather than through ML.NET's prediction engine.</summary>
    public bool ScoresDirectly => _trees is not null;

    /// <summary>Trains on labelled windows when at least two attack classes are present; returns the classes, or null.</summary>
    public static IReadOnlyList<string>? Train(IReadOnlyList<LabelledWindow> windows, ModelCard card, int seed, string path)
    {
        var classes = windows.Select(w => w.Label).Where(l => l != TrafficLabels.Benign).Distinct().Order().ToList();
        if (classes.Count < 2)
        {
            return null;
        }

        var index = card.Features.Select(n => Array.IndexOf(F.Names, n)).ToArray();
        var rows = windows.Select(w =>
        {
            var z = new float[index.Length];
            AnomalyModel.Normalise(w.Features, index, z, [.. card.NormalisationMean], [.. card.NormalisationStd]);
            return new ClassifierRow { Features = z, Label = w.Label };
        }).ToList();
        var ml = new MLContext(seed);
        var schema = Schema(index.Length);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var pipeline = ml.Transforms.Conversion.MapValueToKey(nameof(ClassifierRow.Label))
            .Append(ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastTree(numberOfLeaves: 16, numberOfTrees: 50, minimumExampleCountPerLeaf: 5)))
            .Append(ml.Transforms.Conversion.MapKeyToValue(nameof(ClassifierOutput.PredictedLabel)));
        var model = pipeline.Fit(data);
        ml.Model.Save(model, data.Schema, path);
        return classes;
    }

    /// <summary>Loads the class model; <paramref name="direct"/> false keeps ML.NET's prediction engine (the reference the direct path is tested against).</summary>
    public static AttackClassifier Load(string path, ModelCard card, bool direct = true)
    {
        var ml = new MLContext(0);
        ITransformer model;
        using (var stream = File.OpenRead(path))
        {
            model = ml.Model.Load(stream, out _);
        }

        var schema = Schema(card.Features.Count);
        if (direct && OneVersusAllTrees.TryRead(model, ml.Data.LoadFromEnumerable(Array.Empty<ClassifierRow>(), schema).Schema) is { } trees)
        {
            return new AttackClassifier(trees, null, card);
        }

        return new AttackClassifier(null, ml.Model.CreatePredictionEngine<ClassifierRow, ClassifierOutput>(model, inputSchemaDefinition: schema), card);
    }

    /// <summary>The most likely class of a raw window vector and its score.</summary>
    public (string Class, float Score) Classify(ReadOnlySpan<float> raw)
    {
        if (_trees is { } trees)
        {
            Span<float> normalised = stackalloc float[_index.Length];
            AnomalyModel.Normalise(raw, _index, normalised, _mean, _std);
            return trees.Classify(normalised);
        }

        var z = new float[_index.Length];
        AnomalyModel.Normalise(raw, _index, z, _mean, _std);
        lock (_gate)
        {
            // PredictionEngine is not thread-safe; one per classifier, used under a lock.
            var output = _engine!.Predict(new ClassifierRow { Features = z });
            return (output.PredictedLabel ?? "unknown", output.Score.Length == 0 ? 0 : output.Score.Max());
        }
    }

    private static SchemaDefinition Schema(int dims)
    {
        var schema = SchemaDefinition.Create(typeof(ClassifierRow));
        schema[nameof(ClassifierRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dims);
        return schema;
    }

    internal sealed class ClassifierRow
    {
        public float[] Features { get; set; } = [];

        public string Label { get; set; } = "";
    }

    internal sealed class ClassifierOutput
    {
        public string? PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }
}
