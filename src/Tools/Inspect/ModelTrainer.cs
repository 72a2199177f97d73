using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Inspection;
using Analytics.Inspection.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Analytics.Tools.Inspect;

/// <summary>
/// Trains the learned inspection model: the <c>key=value</c> units of a request (what
/// <see cref="InspectionEngine.ModelUnits"/> collects, see <see cref="ModelInput"/>) as hashed
/// syntax n-grams, ML.NET's L-BFGS logistic regression, a stable 80/20 split of the corpora by
/// record id, generic benign values from the Elastic Common Schema, and a threshold set on the
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

    private sealed record Sample(List<string> Units, bool Label, int RuleScore);

    private const string FreeTextUnit = "\u0002q=";

    public static int Run(FileInfo[] files, string output, double targetFpr, FileInfo? genericBenign, int genericCopies, int nameCopies = 0, int apiShapes = 0)
    {
        var clock = Stopwatch.StartNew();
        var options = new InspectionOptions();
        var engine = new InspectionEngine(options, model: null);
        var train = new List<Sample>();
        var holdout = new List<Sample>();
        foreach (var file in files)
        {
            foreach (var record in ReplayRecord.Read(file.FullName))
            {
                var (units, ruleScore) = engine.ModelUnits(record.ToInput(options.MaxBodyBytes));
                // Duplicates stay: the frequency of a benign request is what the false-positive rate is about.
                (record.IsHoldout ? holdout : train).Add(new Sample(units, record.IsAttack, ruleScore));
            }
        }

        var generic = new List<Sample>();
        var genericHeldOut = new List<Sample>();
        if (genericBenign is not null)
        {
            var fieldNames = GenericBenignValues.ReadEcs(genericBenign.FullName).Select(p => p.Key).Where(k => k is not ("description" or "short")).ToList();
            foreach (var fields in GenericBenignValues.Requests(genericBenign.FullName).Concat(ApiValueShapes.Requests(fieldNames, apiShapes)))
            {
                // A JSON body, through the same normalisation as a request.
                var json = JsonSerializer.Serialize(fields, GenericJson.Default.DictionaryStringString);
                var input = new InspectionInput("POST", "/", null, new HeaderDictionary(), Encoding.UTF8.GetBytes(json), "application/json", false);
                var (units, ruleScore) = engine.ModelUnits(input);
                // What the rules block anyway is not taught as benign (ECS examples include shell command lines and system paths).
                if (units.Count > 0 && ruleScore < InspectionDefaults.Threshold)
                {
                    // One in five is kept out of training to estimate the false-positive rate on other APIs' values.
                    (ReplayRecord.StableHash(json) % 5 == 0 ? genericHeldOut : generic).Add(new Sample(units, false, ruleScore));
                }
            }

            for (var i = 0; i < genericCopies; i++)
            {
                train.AddRange(generic);
            }
        }

        // The name view: parameter names of no particular API as benign units, so the model does not learn one shop's names.
        var namesTrained = new List<Sample>();
        var namesHeldOut = new List<Sample>();
        if (nameCopies > 0)
        {
            IEnumerable<string> ecsFields = genericBenign is null ? [] : GenericBenignValues.ReadEcs(genericBenign.FullName).Select(p => p.Key);
            var names = BenignNames.Collect(train.Where(s => !s.Label).SelectMany(s => s.Units), ecsFields);
            foreach (var name in names)
            {
                (BenignNames.IsHeldOut(name) ? namesHeldOut : namesTrained).Add(new Sample(BenignNames.Units(name, names), false, 0));
            }

            // The same payloads under those names: the payload lists put every attack in "q=", and the attack is
            // the value, whatever the name. Also keeps the benign names from moving the model's prior.
            var trainedNames = names.Where(n => !BenignNames.IsHeldOut(n)).ToList();
            var renamed = new List<Sample>();
            foreach (var s in train)
            {
                if (s.Label && s.Units.Count == 1 && s.Units[0].StartsWith(FreeTextUnit, StringComparison.Ordinal))
                {
                    var name = trainedNames[(int)(ReplayRecord.StableHash(s.Units[0]) % (uint)trainedNames.Count)];
                    renamed.Add(s with { Units = [ModelInput.ValueStart + name + s.Units[0][2..]] });
                }
            }

            for (var i = 0; i < nameCopies; i++)
            {
                train.AddRange(namesTrained);
            }

            train.AddRange(renamed);
            Console.WriteLine($"attacks renamed from q= to a benign name: {renamed.Count}");
        }

        Console.WriteLine($"train requests {train.Count} (generic benign {generic.Count} x{genericCopies}, benign names {namesTrained.Count} x{nameCopies}), holdout requests {holdout.Count}, generic held out {genericHeldOut.Count}, names held out {namesHeldOut.Count}");
        var rows = new List<Row>(train.Count);
        foreach (var s in train)
        {
            var (indices, values) = NgramHasher.Sparse(s.Units);
            // A request with nothing for the model to read is never scored in the proxy, so it teaches nothing.
            if (indices.Length > 0)
            {
                rows.Add(new Row { Label = s.Label, Features = new VBuffer<float>(NgramHasher.Dimension, indices.Length, values, indices) });
            }
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
        Console.WriteLine($"training on {rows.Count} rows…");
        var model = trainer.Fit(data);
        var scorer = LearnedScorer.FromTransformer(model, 0.5);
        var trainMetrics = ml.BinaryClassification.Evaluate(model.Transform(data), nameof(Row.Label));
        Console.WriteLine($"ML.NET on the training rows: AUC {trainMetrics.AreaUnderRocCurve:0.####}, accuracy {trainMetrics.Accuracy:0.####}");
        var mlScore = ml.Data.CreateEnumerable<ScoredRow>(model.Transform(ml.Data.TakeRows(data, 1)), reuseRowObject: false).First().Probability;
        Console.WriteLine($"consistency: ML.NET {mlScore:0.######}, array scorer {scorer.Probability(train.First(s => s.Units.Count > 0 && NgramHasher.Sparse(s.Units).Indices.Length > 0).Units):0.######}");

        // Threshold: the smallest probability that keeps the FPR on the training benign requests
        // the model reads (the others are never scored) at the target, and never below 0.5.
        var benignScores = train.Where(s => !s.Label).Select(s => scorer.Probability(s.Units)).Where(p => p is not null).Select(p => p!.Value).OrderByDescending(p => p).ToArray();
        var cut = (int)Math.Floor(benignScores.Length * targetFpr);
        var threshold = Math.Max(0.5, cut < benignScores.Length ? benignScores[cut] + 1e-6 : 0.5);

        var modelOnly = Evaluate(scorer, holdout, threshold, withRules: false);
        var withRules = Evaluate(scorer, holdout, threshold, withRules: true);
        var genericFpr = Evaluate(scorer, genericHeldOut, threshold, withRules: true);
        var namesFpr = Evaluate(scorer, namesHeldOut, threshold, withRules: false);
        var scored = holdout.Select(s => (P: scorer.Probability(s.Units) ?? 0, s.Label)).ToList();

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        ml.Model.Save(model, data.Schema, output);
        var card = new ModelCard
        {
            Created = DateTimeOffset.UtcNow,
            Trainer = "ML.NET 5.0.1 LbfgsLogisticRegression (L2 0.5, no L1, up to 300 iterations) with Platt calibration",
            Features = $"lower-cased character {NgramHasher.MinN}- to {NgramHasher.MaxN}-grams that contain a character other than a letter or white space (syntax, not words), where a unit's name counts as one symbol and the n-grams containing it have {NgramHasher.NameBuckets} buckets of their own (a name never seen in training says nothing), a value that is only a number of {NgramHasher.FoldedNumberDigits} or more digits, or a signed number of any length (-1, -33.8688), read as that many digits of one symbol (its length, not its digits), FNV-1a hashed into 2^{NgramHasher.Bits} buckets, counted over all units of a request, count / sqrt(n-gram count + {NgramHasher.PriorCount})",
            FeatureSet = NgramHasher.FeatureSet,
            InputText = $"no method, no path: one unit per value, key=value between the marks U+0002 and U+0003, for every query, form, multipart, XML and JSON string value (JSON: the nearest property name) after the inspection normalisation (percent-decoding, Unicode NFKC); keys cut at {ModelInput.MaxKeyChars} and values at {ModelInput.MaxValueChars} characters; the units of a request are scored together as one text; a request without values, or whose values hold no syntax n-gram, is not scored",
            TrainingData = [.. files.Select(f => f.Name), .. genericBenign is null ? Array.Empty<string>() : [$"{genericBenign.Name} (generic benign: each field as name=example, its short and long description, and groups of up to 6 fields of one field set as a JSON body; x{genericCopies}; values the rules block left out)"], .. apiShapes == 0 ? Array.Empty<string>() : [$"API value shapes (generic benign, counted with them): {apiShapes} generated requests (seed 1) of epoch timestamps in s and ms, negative and decimal numbers (also as search terms; integers of log-uniform size), sort expressions (-field,+field) and search terms with an exclusion (-word) under the names APIs use and ECS field names"], .. nameCopies == 0 ? Array.Empty<string>() : [$"benign names (name view): {namesTrained.Count} identifier-shaped values of the training benign requests and ECS field names and their segments, each as name=<an ordinary value, a number or another such word>, x{nameCopies}; and each training attack of the payload lists (q=payload) once more under one of these names; the names whose FNV-1a hash of the lower-cased name is 0 mod 5 held out"]],
            Split = "corpora records whose FNV-1a hash of id is 0 mod 5 are held out (inspect --holdout evaluates the same split); generic benign bodies whose hash is 0 mod 5 are held out too; duplicates kept so frequent benign requests weigh as in traffic",
            TrainRows = rows.Count,
            HoldoutRows = holdout.Count,
            Threshold = Math.Round(threshold, 6),
            ThresholdRule = $"smallest probability with a false-positive rate of at most {targetFpr.ToString(CultureInfo.InvariantCulture)} on the training benign requests the model scores (at least 0.5); set on training data only",
            MetricsHoldout = new Dictionary<string, double>
            {
                ["recall"] = modelOnly.Recall,
                ["fpr"] = modelOnly.Fpr,
                ["precision"] = modelOnly.Precision,
                ["auc"] = Math.Round(Auc(scored), 4),
                ["attacks"] = modelOnly.Attacks,
                ["benign"] = modelOnly.Benign,
                ["recall_with_rules"] = withRules.Recall,
                ["fpr_with_rules"] = withRules.Fpr,
                ["generic_benign_heldout_fpr_with_rules"] = genericFpr.Fpr,
                ["generic_benign_heldout"] = genericFpr.Benign,
                ["benign_names_heldout_fpr"] = namesFpr.Fpr,
                ["benign_names_heldout"] = namesFpr.Benign,
            },
            Command = $"C=$(realpath ../shared/corpora); dotnet run -c Release --project src/Tools -- inspect train --requests {string.Join(' ', files.Select(f => "$C/" + f.Name))}{(genericBenign is null ? "" : $" --generic-benign $C/ecs/{genericBenign.Name} --generic-copies {genericCopies}")}{(apiShapes == 0 ? "" : $" --api-shapes {apiShapes}")}{(nameCopies == 0 ? "" : $" --benign-names {nameCopies}")} --out $(pwd)/models/inspection-model.zip --target-fpr {targetFpr.ToString(CultureInfo.InvariantCulture)}   (from the repository root)",
            Limitations = "Trained on public corpora (CSIC 2010 generated shop traffic, payload lists wrapped as GET /search?q=) and ECS field examples as generic benign values; it knows their benign traffic, not yours. It reads parameter names and values only, so attacks in the path (the .bak and ~ probes of CSIC) are left to the rules. Part of its CSIC recall comes from unusual parameter names (idA=, B2A=), knowledge of that one shop. It can only raise the score of a request; check it on your own benign traffic (inspect --rules-only against the default) before relying on it in block mode.",
        };
        card.Write(output);
        Console.WriteLine($"wrote {output} and {ModelCard.PathFor(output)} in {clock.Elapsed.TotalSeconds:0}s: threshold {threshold:0.####}; holdout: model recall {modelOnly.Recall} fpr {modelOnly.Fpr}, rules + model recall {withRules.Recall} fpr {withRules.Fpr}; generic held out: fpr {genericFpr.Fpr} of {genericFpr.Benign}; names held out: fpr {namesFpr.Fpr} of {namesFpr.Benign}");
        return 0;
    }

    private static (double Recall, double Fpr, double Precision, int Attacks, int Benign) Evaluate(LearnedScorer scorer, List<Sample> samples, double threshold, bool withRules)
    {
        var tp = 0;
        var fp = 0;
        var attacks = 0;
        var benign = 0;
        foreach (var s in samples)
        {
            var flagged = scorer.Probability(s.Units) >= threshold || (withRules && s.RuleScore >= InspectionDefaults.Threshold);
            if (s.Label)
            {
                attacks++;
                tp += flagged ? 1 : 0;
            }
            else
            {
                benign++;
                fp += flagged ? 1 : 0;
            }
        }

        return (Math.Round(attacks == 0 ? 0 : (double)tp / attacks, 4), Math.Round(benign == 0 ? 0 : (double)fp / benign, 4),
            Math.Round(tp + fp == 0 ? 0 : (double)tp / (tp + fp), 4), attacks, benign);
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

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class GenericJson : JsonSerializerContext;
