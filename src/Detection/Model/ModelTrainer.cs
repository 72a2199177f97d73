using System.Globalization;
using Analytics.Detection;
using Analytics.Detection.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Analytics.Detection.Model;

/// <summary>
/// Trains the randomized-PCA anomaly model on benign windows and calibrates its threshold on
/// benign windows of entities held out from training.
/// </summary>
internal static class ModelTrainer
{
    public static int Rank { get; set; } = 6;

    /// <summary>Target share of held-out benign windows above the threshold; 0 means "none", i.e. the maximum.</summary>
    public const double TargetFpr = 0.0;

    /// <summary>Head-room above the calibrated quantile, so unseen benign entities stay below it.</summary>
    public static double Margin { get; set; } = 1.5;

    private const float MinStd = 0.25f;

    /// <summary>
    /// Features the model sees: behaviour and volume. Rare-event counters (inspection findings,
    /// sensitive paths, undocumented endpoints) are left to the rules: one benign blip on them
    /// would otherwise dominate the reconstruction error and force a threshold that hides the
    /// behavioural attacks the model is for. The baseline depends on history, not the window.
    /// </summary>
    public static readonly string[] ModelFeatures = [.. F.Names.Where(n => n is not (
        "inspection_findings_1m" or "finding_categories_1m" or "inspection_findings_10m" or
        "sensitive_path_hits_1m" or "sensitive_path_hits_10m" or
        "undocumented_hits_1m" or "undocumented_hits_10m" or "baseline_rate"))];

    private static readonly int[] ModelIndex = [.. ModelFeatures.Select(n => Array.IndexOf(F.Names, n))];

    /// <summary>
    /// Trains, calibrates, evaluates, and when <paramref name="output"/> is set writes the .zip and its card,
    /// unless <paramref name="write"/> turns the trained model down (so a candidate is trained once, judged, and only then written).
    /// </summary>
    public static (AnomalyModel Model, IReadOnlyList<LabelledWindow> HeldOut) Train(
        IReadOnlyList<LabelledWindow> windows, string name, int seed, int minRequests, IReadOnlyList<TrainingInput> inputs, string command, string? output,
        Func<AnomalyModel, bool>? write = null)
    {
        var benign = windows.Where(w => w.Label == TrafficLabels.Benign).ToList();
        if (benign.Count < 50)
        {
            throw new InvalidOperationException($"only {benign.Count} benign windows with at least {minRequests} requests; need 50 or more to train");
        }

        // Hold out whole entities, not windows: the threshold must hold for clients the model never saw.
        bool HeldOut(LabelledWindow w) => (Sketch.Hash(w.Entity, (uint)seed) % 5) == 0;
        var train = benign.Where(w => !HeldOut(w)).ToList();
        var held = benign.Where(HeldOut).ToList();
        if (held.Count == 0)
        {
            held = train;
        }

        var (mean, std) = Statistics(train);
        var rows = train.Select(w => new WindowRow { Features = Normalised(w.Features, mean, std) }).ToList();
        var ml = new MLContext(seed);
        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(WindowRow));
        schema[nameof(WindowRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, ModelIndex.Length);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.AnomalyDetection.Trainers.RandomizedPca(new RandomizedPcaTrainer.Options
        {
            FeatureColumnName = nameof(WindowRow.Features),
            Rank = Math.Min(Rank, ModelIndex.Length - 1),
            Oversampling = 20,
            EnsureZeroMean = true,
            Seed = seed,
        });
        var transformer = trainer.Fit(data);

        var draft = new ModelCard
        {
            Name = name,
            Created = DateTimeOffset.UtcNow,
            Features = ModelFeatures,
            NormalisationMean = mean,
            NormalisationStd = std,
            Rank = Math.Min(Rank, ModelIndex.Length - 1),
            MinRequests = minRequests,
        };
        var scorer = AnomalyModel.FromParameters(draft, transformer.Model);
        var residual = new float[F.Count];
        var heldScores = held.Select(w => (double)scorer.Score(w.Features, residual)).Order().ToList();
        var quantile = heldScores[Math.Min(heldScores.Count - 1, (int)Math.Floor((1 - TargetFpr) * heldScores.Count))];
        var threshold = quantile * Margin;

        var evaluation = new Dictionary<string, double>
        {
            ["held_out_benign_windows"] = held.Count,
            ["held_out_benign_window_fpr"] = heldScores.Count(s => s > threshold) / (double)heldScores.Count,
            ["held_out_benign_score_p50"] = heldScores[heldScores.Count / 2],
            ["held_out_benign_score_max"] = heldScores[^1],
        };
        foreach (var group in windows.Where(w => w.Label != TrafficLabels.Benign).GroupBy(w => w.Label))
        {
            var caught = group.Count(w => scorer.Score(w.Features, residual) > threshold);
            evaluation[$"window_recall_{group.Key}"] = Math.Round(caught / (double)group.Count(), 4);
        }

        var card = draft with
        {
            Threshold = threshold,
            ThresholdMethod = $"max of held-out benign window scores (target FPR {TargetFpr}) × {Margin}",
            Training = new TrainingInfo
            {
                Inputs = inputs,
                Windows = train.Count,
                HeldOutWindows = held.Count,
                Entities = benign.Select(w => w.Entity).Distinct().Count(),
                Seed = seed,
                Command = command,
                Note = "Windows: one snapshot per client IP and 10-second bucket with at least min_requests requests in the minute; benign only. Held-out: entities with hash % 5 == 0.",
            },
            Evaluation = evaluation,
        };

        if (output is not null && (write is null || write(new AnomalyModel(card, [.. scorer.MeanForCard], scorer.VectorsForCard))))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            var classesPath = Path.ChangeExtension(output, ".classes.zip");
            if (AttackClassifier.Train(windows, card, seed, classesPath + ".tmp") is { } classes)
            {
                File.Move(classesPath + ".tmp", classesPath, overwrite: true);
                card = card with { Classifier = Path.GetFileName(classesPath), ClassifierClasses = classes };
            }

            // Write to temporary names and move into place, so a watching analyzer never reads half a file.
            var tmpZip = output + ".tmp";
            var tmpCard = Path.ChangeExtension(output, ".json") + ".tmp";
            ml.Model.Save(transformer, data.Schema, tmpZip);
            File.WriteAllText(tmpCard, System.Text.Json.JsonSerializer.Serialize(card, ModelJsonContext.Default.ModelCard));
            File.Move(tmpCard, Path.ChangeExtension(output, ".json"), overwrite: true);
            File.Move(tmpZip, output, overwrite: true);
        }

        var result = new AnomalyModel(card, [.. scorer.MeanForCard], scorer.VectorsForCard)
        {
            Classifier = output is not null && card.Classifier is { } file
                ? AttackClassifier.Load(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, file), card)
                : null,
        };

        return (result, held);
    }

    private static (float[] Mean, float[] Std) Statistics(List<LabelledWindow> windows)
    {
        var dims = ModelIndex.Length;
        var mean = new float[dims];
        var std = new float[dims];
        foreach (var w in windows)
        {
            for (var i = 0; i < dims; i++)
            {
                mean[i] += MathF.Log(1 + Math.Max(w.Features[ModelIndex[i]], 0));
            }
        }

        for (var i = 0; i < dims; i++)
        {
            mean[i] /= windows.Count;
        }

        foreach (var w in windows)
        {
            for (var i = 0; i < dims; i++)
            {
                var d = MathF.Log(1 + Math.Max(w.Features[ModelIndex[i]], 0)) - mean[i];
                std[i] += d * d;
            }
        }

        for (var i = 0; i < dims; i++)
        {
            // A floor keeps features that never vary in benign traffic from exploding on the first blip.
            std[i] = Math.Max(MinStd, MathF.Sqrt(std[i] / windows.Count));
        }

        return (mean, std);
    }

    private static float[] Normalised(float[] raw, float[] mean, float[] std)
    {
        var z = new float[ModelIndex.Length];
        AnomalyModel.Normalise(raw, ModelIndex, z, mean, std);
        return z;
    }

    private sealed class WindowRow
    {
        public float[] Features { get; set; } = [];
    }
}
