using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Analytics.Inspection;
using Analytics.Inspection.Model;

namespace Analytics.Tools.Inspect;

/// <summary>
/// <c>inspect</c>: runs the production inspection code, with the defaults of a route in block
/// mode, over replay files and prints recall, FPR and precision per attack class;
/// <c>inspect train</c> trains the learned model on replay files.
/// </summary>
public static class InspectCommand
{
    /// <summary>The <c>inspect</c> command with its <c>train</c> subcommand.</summary>
    public static Command Create()
    {
        var requests = new Option<FileInfo[]>("--requests") { Description = "Replay file(s), JSON Lines, optionally .gz", Required = true, AllowMultipleArgumentsPerToken = true };
        var verdicts = new Option<FileInfo?>("--verdicts") { Description = "Write one verdict per request to this JSON Lines file" };
        var report = new Option<FileInfo?>("--report") { Description = "Write the metrics as JSON to this file" };
        var model = new Option<string?>("--model") { Description = "Learned model (ML.NET zip); default: the shipped models/inspection-model.zip" };
        var rulesOnly = new Option<bool>("--rules-only") { Description = "Leave the learned model out, as a route with UseModel=false does" };
        var holdout = new Option<bool>("--holdout") { Description = "Evaluate only the records the training held out (about one in five)" };
        var modelThreshold = new Option<double?>("--model-threshold") { Description = "Probability at or above which the model adds its weight (default: the model card's)" };
        var threshold = new Option<int>("--threshold") { Description = "Anomaly threshold (default: a route's default)", DefaultValueFactory = _ => InspectionDefaults.Threshold };

        var command = new Command("inspect", "Evaluate request inspection on labelled replay files")
        {
            requests, verdicts, report, model, rulesOnly, holdout, threshold, modelThreshold,
        };
        // Routes use the model unless they opt out, so the evaluation does too.
        command.SetAction(parse => Evaluate(
            parse.GetValue(requests)!, parse.GetValue(verdicts), parse.GetValue(report), parse.GetValue(model),
            parse.GetValue(rulesOnly),
            parse.GetValue(holdout), parse.GetValue(threshold), parse.GetValue(modelThreshold)));

        var trainRequests = new Option<FileInfo[]>("--requests") { Description = "Labelled replay file(s) to train on", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Model path; the model card is written beside it", DefaultValueFactory = _ => "models/inspection-model.zip" };
        var targetFpr = new Option<double>("--target-fpr") { Description = "False-positive rate on training benign requests that sets the threshold", DefaultValueFactory = _ => 0.002 };
        var genericBenign = new Option<FileInfo?>("--generic-benign") { Description = "ecs_flat.yml of the Elastic Common Schema: its field names and example values and descriptions train as benign values of no particular API" };
        var genericCopies = new Option<int>("--generic-copies") { Description = "How many times each generic benign body counts (the corpora have tens of thousands of benign requests of one shop)", DefaultValueFactory = _ => 40 };
        var benignNames = new Option<int>("--benign-names") { Description = "How many times each benign name of the name view counts (identifier-shaped benign values and ECS field names as parameter names; 0 = none)", DefaultValueFactory = _ => 0 };
        var apiShapes = new Option<int>("--api-shapes") { Description = "How many generated requests of API value shapes (timestamps, negative numbers, sort expressions, search exclusions) join the generic benign values (needs --generic-benign; 0 = none)", DefaultValueFactory = _ => 0 };
        var train = new Command("train", "Train the learned inspection model (character n-grams + logistic regression)") { trainRequests, output, targetFpr, genericBenign, genericCopies, benignNames, apiShapes };
        train.SetAction(parse => ModelTrainer.Run(parse.GetValue(trainRequests)!, parse.GetValue(output)!, parse.GetValue(targetFpr), parse.GetValue(genericBenign), parse.GetValue(genericCopies), parse.GetValue(benignNames), parse.GetValue(apiShapes)));
        command.Subcommands.Add(train);

        var corpora = new Option<DirectoryInfo>("--corpora") { Description = "Directory of the corpora (payloads_*.jsonl.gz, csic2010*.jsonl.gz)", Required = true };
        var placementsOut = new Option<FileInfo>("--out") { Description = "Replay file to write (.jsonl.gz)", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the sampling", DefaultValueFactory = _ => 13 };
        var perClass = new Option<int>("--per-class") { Description = "Attack payloads sampled per class", DefaultValueFactory = _ => 200 };
        var benignCount = new Option<int>("--benign") { Description = "Benign values sampled", DefaultValueFactory = _ => 2000 };
        var placements = new Command("placements", "Write a development set: corpora payloads placed in headers, cookies, argument names, path segments, JSON keys, XML attributes and multipart names")
        {
            corpora, placementsOut, seed, perClass, benignCount,
        };
        placements.SetAction(parse => PlacementGenerator.Run(parse.GetValue(corpora)!, parse.GetValue(placementsOut)!, parse.GetValue(seed), parse.GetValue(perClass), parse.GetValue(benignCount)));
        command.Subcommands.Add(placements);
        return command;
    }

    private static int Evaluate(FileInfo[] files, FileInfo? verdictsFile, FileInfo? reportFile, string? modelPath, bool rulesOnly, bool holdoutOnly, int threshold, double? modelThreshold)
    {
        foreach (var f in files)
        {
            if (!f.Exists)
            {
                Console.Error.WriteLine($"inspect: {f.FullName} does not exist");
                return 2;
            }
        }

        var options = new InspectionOptions { ModelThreshold = modelThreshold };
        LearnedScorer? scorer = null;
        // "dotnet run" starts in the project directory; the build copies models/ next to the binary.
        modelPath ??= options.ModelPath is null ? null : ModelPath.Resolve(options.ModelPath, Directory.GetCurrentDirectory());
        if (!rulesOnly && modelPath is not null)
        {
            var card = ModelCard.TryRead(modelPath);
            scorer = LearnedScorer.Load(modelPath, modelThreshold ?? card?.Threshold ?? 0.5);
            Console.WriteLine($"model: {modelPath} (threshold {scorer.Threshold.ToString("0.###", CultureInfo.InvariantCulture)})");
        }

        var engine = new InspectionEngine(options, scorer);
        var combined = new Evaluation();
        var rules = new Evaluation();
        var findings = new FindingSet();
        using var verdictWriter = verdictsFile is null ? null : new StreamWriter(verdictsFile.FullName);
        var count = 0;
        foreach (var file in files)
        {
            foreach (var record in ReplayRecord.Read(file.FullName))
            {
                if (holdoutOnly && !record.IsHoldout)
                {
                    continue;
                }

                findings.Reset(null);
                var verdict = engine.Inspect(record.ToInput(options.MaxBodyBytes), findings, useModel: scorer is not null);
                var blocked = verdict.Score >= threshold;
                combined.Add(record, blocked);
                rules.Add(record, verdict.RuleScore >= threshold);
                if (verdictWriter is not null)
                {
                    verdictWriter.WriteLine(JsonSerializer.Serialize(new VerdictLine
                    {
                        Id = record.Id,
                        Score = verdict.Score,
                        Action = blocked ? "block" : "allow",
                        Rules = verdict.Rules,
                        ModelProbability = verdict.ModelProbability is { } p ? Math.Round(p, 4) : null,
                    }, EvaluationJson.Default.VerdictLine));
                }

                if (++count % 20000 == 0)
                {
                    Console.Error.WriteLine($"  {count} requests…");
                }
            }
        }

        var result = combined.Report();
        result.Threshold = threshold;
        result.Model = scorer is null ? null : modelPath;
        if (scorer is not null)
        {
            result.RulesOnly = rules.Report();
            Print("rules only", result.RulesOnly);
            Print("rules + model", result);
        }
        else
        {
            Print("rules only", result);
        }

        if (reportFile is not null)
        {
            File.WriteAllText(reportFile.FullName, JsonSerializer.Serialize(result, EvaluationJson.Default.EvaluationReport) + "\n");
        }

        return 0;
    }

    private static void Print(string title, EvaluationReport report)
    {
        Console.WriteLine();
        Console.WriteLine($"== {title}");
        Console.WriteLine($"{"class / source",-28} {"attacks",8} {"recall",8} {"benign",8} {"fpr",8}");
        foreach (var (name, m) in report.Classes)
        {
            Console.WriteLine(Row(name, m));
        }

        Console.WriteLine("-- by source");
        foreach (var (name, m) in report.Sources)
        {
            Console.WriteLine(Row(name, m));
        }

        Console.WriteLine("-- by CRS family");
        foreach (var (name, m) in report.Families)
        {
            Console.WriteLine(Row(name, m));
        }

        Console.WriteLine("-- by location");
        foreach (var (name, m) in report.Locations)
        {
            Console.WriteLine(Row(name, m));
        }

        Console.WriteLine(Row("OVERALL", report.Overall) + $"  precision {F(report.Overall.Precision)}");
    }

    private static string Row(string name, Metrics m) =>
        $"{name,-28} {m.Attacks,8} {F(m.Recall),8} {m.Benign,8} {F(m.Fpr),8}";

    private static string F(double? v) => v is null ? "-" : v.Value.ToString("0.0000", CultureInfo.InvariantCulture);
}
