using System.Diagnostics;
using System.Globalization;
using Analytics.Sidecar.Inspection.Cli;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Analytics.Sidecar.Inspection.Model;

/// <summary>
/// Trains the learned inspection model: the normalised request text (what
/// <see cref="InspectionEngine.ModelText"/> builds) as hashed character n-grams, ML.NET's L-BFGS
/// logistic regression, a stable 80/20 split by record id, and a threshold set on the
/// training benign requests for a target false-positive rate. Writes the model and its card.
/// </summary>
internal static class ModelTrainer
{
    private sealed class Row
    {
        public bool Label { get; set; }

        [VectorType(NgramHasher.Dimension)]
        public VBuffer<float> Features { get; set; }
    }

    private sealed class ScoredRow
    {
        public float Probability { get; set; }
    }

    public static int Run(FileInfo[] files, string output, double targetFpr)
    {
        var clock = Stopwatch.StartNew();
        var options = new InspectionOptions();
        var engine = new InspectionEngine(options, model: null);
        var train = new List<(string Text, bool Label)>();
        var holdout = new List<(string Text, bool Label)>();
        foreach (var file in files)
        {
            foreach (var record in ReplayRecord.Read(file.FullName))
            {
                var text = engine.ModelText(record.ToInput(options.MaxBodyBytes));
                if (record.IsHoldout)
                {
                    holdout.Add((text, record.IsAttack));
                }
                else
                {
                    // Duplicates stay: the frequency of a benign request is what the false-positive rate is about.
                    train.Add((text, record.IsAttack));
                }
            }
        }

        Console.WriteLine($"train rows {train.Count}, holdout rows {holdout.Count}; featurising…");
        var rows = new List<Row>(train.Count);
        foreach (var (text, label) in train)
        {
            var (indices, values) = NgramHasher.Sparse(text);
            rows.Add(new Row { Label = label, Features = new VBuffer<float>(NgramHasher.Dimension, indices.Length, values, indices) });
        }

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new Microsoft.ML.Trainers.LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            L2Regularization = 0.5f,
            L1Regularization = 0f,
            OptimizationTolerance = 1e-7f,
            HistorySize = 20,
            MaximumNumberOfIterations = 300,
        });
        Console.WriteLine("training…");
        var model = trainer.Fit(data);
        var scorer = LearnedScorer.FromTransformer(model, 0.5);
        var trainMetrics = ml.BinaryClassification.Evaluate(model.Transform(data), nameof(Row.Label));
        Console.WriteLine($"ML.NET on the training rows: AUC {trainMetrics.AreaUnderRocCurve:0.####}, accuracy {trainMetrics.Accuracy:0.####}");
        var check = scorer.Probability(train[0].Text);
        var mlScore = ml.Data.CreateEnumerable<ScoredRow>(model.Transform(ml.Data.TakeRows(data, 1)), reuseRowObject: false).First().Probability;
        Console.WriteLine($"consistency: ML.NET {mlScore:0.######}, array scorer {check:0.######}");

        // Threshold: the smallest probability that keeps the training benign FPR at the target.
        var benignScores = train.Where(r => !r.Label).Select(r => scorer.Probability(r.Text)).OrderByDescending(p => p).ToArray();
        var cut = (int)Math.Floor(benignScores.Length * targetFpr);
        var threshold = Math.Max(0.5, cut < benignScores.Length ? benignScores[cut] + 1e-6 : 0.5);

        var tp = 0;
        var fp = 0;
        var attacks = 0;
        var benign = 0;
        var scored = new List<(double P, bool Label)>(holdout.Count);
        foreach (var (text, label) in holdout)
        {
            var p = scorer.Probability(text);
            scored.Add((p, label));
            if (label)
            {
                attacks++;
                tp += p >= threshold ? 1 : 0;
            }
            else
            {
                benign++;
                fp += p >= threshold ? 1 : 0;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        ml.Model.Save(model, data.Schema, output);
        var card = new ModelCard
        {
            Created = DateTimeOffset.UtcNow,
            Trainer = "ML.NET 5.0.1 LbfgsLogisticRegression (L2 0.5, no L1, up to 300 iterations) with Platt calibration",
            Features = $"lower-cased character {NgramHasher.MinN}- to {NgramHasher.MaxN}-grams of the input text, FNV-1a hashed into 2^{NgramHasher.Bits} buckets, count / sqrt(n-gram count); first {NgramHasher.MaxChars} characters",
            InputText = "method, canonical path, then ' key=value' for every query, form, multipart and JSON field after the inspection normalisation (percent-decoding, Unicode NFKC); values cut at 512 characters",
            TrainingData = files.Select(f => f.Name).ToList(),
            Split = "records whose FNV-1a hash of id is 0 mod 5 are held out (inspect --holdout evaluates the same split); duplicates kept so frequent benign requests weigh as in traffic",
            TrainRows = train.Count,
            HoldoutRows = holdout.Count,
            Threshold = Math.Round(threshold, 6),
            ThresholdRule = $"smallest probability with false-positive rate <= {targetFpr.ToString(CultureInfo.InvariantCulture)} on the training benign requests (at least 0.5)",
            MetricsHoldout = new Dictionary<string, double>
            {
                ["recall"] = Math.Round(attacks == 0 ? 0 : (double)tp / attacks, 4),
                ["fpr"] = Math.Round(benign == 0 ? 0 : (double)fp / benign, 4),
                ["precision"] = Math.Round(tp + fp == 0 ? 0 : (double)tp / (tp + fp), 4),
                ["auc"] = Math.Round(Auc(scored), 4),
                ["attacks"] = attacks,
                ["benign"] = benign,
            },
            Command = $"C=$(realpath ../shared/corpora); dotnet run -c Release --project src/Sidecar -- inspect train --requests {string.Join(' ', files.Select(f => "$C/" + f.Name))} --out $(pwd)/models/inspection-model.zip --target-fpr {targetFpr.ToString(CultureInfo.InvariantCulture)}   (from the repository root)",
            Limitations = "Trained on public corpora (CSIC 2010 generated shop traffic and payload lists wrapped as GET /search?q=); it knows their benign traffic, not yours. It can only raise a request's score; retrain with your own benign traffic before relying on it in block mode.",
        };
        card.Write(output);
        Console.WriteLine($"wrote {output} and {ModelCard.PathFor(output)} in {clock.Elapsed.TotalSeconds:0}s: threshold {threshold:0.####}, holdout recall {card.MetricsHoldout["recall"]}, fpr {card.MetricsHoldout["fpr"]}, auc {card.MetricsHoldout["auc"]}");
        return 0;
    }

    private static double Auc(List<(double P, bool Label)> scored)
    {
        var sorted = scored.OrderBy(s => s.P).ToList();
        double rankSum = 0;
        long positives = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            if (sorted[i].Label)
            {
                rankSum += i + 1;
                positives++;
            }
        }

        var negatives = sorted.Count - positives;
        return positives == 0 || negatives == 0 ? 0 : (rankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }
}
