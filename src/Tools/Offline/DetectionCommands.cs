using System.CommandLine;
using Analytics.Detection;
using Analytics.Detection.Ingest;
using Analytics.Detection.Model;
using Analytics.Traffic;

namespace Analytics.Tools.Offline;

/// <summary>The detection pipeline's offline commands: <c>train</c>, <c>evaluate</c>, <c>replay</c>, <c>generate</c>, <c>traffic</c>.</summary>
internal static class DetectionCommands
{
    /// <summary>The commands, in the order help lists them.</summary>
    public static IEnumerable<Command> Create() => [Train(), Evaluate(), Replay(), Generate(), Traffic()];

    private static Option<string?> ModelOption() => new("--model")
    {
        Description = "Model .zip to score with (default: models/default.zip if present; 'none' for rules only)",
    };

    private static Command Train()
    {
        var input = new Option<string[]>("--input") { Description = "Event files (benign windows train the anomaly model; labelled attacks train the class model)", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Model path, e.g. models/default.zip (a model card .json is written next to it)", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed for splits and the trainers", DefaultValueFactory = _ => 1 };
        var rank = new Option<int>("--rank") { Description = "PCA rank", DefaultValueFactory = _ => ModelTrainer.Rank };
        var margin = new Option<double>("--margin") { Description = "Threshold head-room over the held-out maximum", DefaultValueFactory = _ => ModelTrainer.Margin };
        var command = new Command("train", "Train the anomaly model on benign windows, calibrate its threshold, write the .zip and model card") { input, output, seed, rank, margin };
        command.SetAction((p, ct) =>
        {
            ModelTrainer.Rank = p.GetValue(rank);
            ModelTrainer.Margin = p.GetValue(margin);
            return Task.FromResult(TrainCommand.Run(p.GetValue(input)!, p.GetValue(output)!, p.GetValue(seed)));
        });
        return command;
    }

    private static Command Evaluate()
    {
        var input = new Option<string>("--input") { Description = "Event file: RequestEvent JSON lines, access-log JSON lines or combined log format", Required = true };
        var labels = new Option<string?>("--labels") { Description = "CSV client,attack_class for access logs; clients not listed are benign" };
        var report = new Option<string?>("--report") { Description = "Write REPORT.json here" };
        var rules = new Option<bool>("--no-rules") { Description = "Evaluate the model alone" };
        var model = ModelOption();
        var command = new Command("evaluate", "Run a labelled file through the pipeline and report precision, recall, FPR and time to detect per attack class") { input, labels, report, rules, model };
        command.SetAction((p, ct) => EvaluateCommand.RunAsync(p.GetValue(input)!, p.GetValue(labels), p.GetValue(report), !p.GetValue(rules), p.GetValue(model), ct));
        return command;
    }

    private static Command Replay()
    {
        var input = new Option<string>("--input") { Description = "Event file", Required = true };
        var speed = new Option<double>("--speed") { Description = "1 = real time, 10 = ten times faster, 0 = as fast as possible", DefaultValueFactory = _ => 0 };
        var model = ModelOption();
        var command = new Command("replay", "Feed a file through the whole pipeline at a chosen speed and print the decisions") { input, speed, model };
        command.SetAction((p, ct) => ReplayCommand.RunAsync(p.GetValue(input)!, p.GetValue(speed), p.GetValue(model), ct));
        return command;
    }

    private static Command Generate()
    {
        var output = new Option<string>("--out") { Description = "JSON lines file to write", Required = true };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var minutes = new Option<int>("--minutes") { Description = "Simulated time span", DefaultValueFactory = _ => 30 };
        var users = new Option<int>("--users") { Description = "Browsing users", DefaultValueFactory = _ => 300 };
        var attackers = new Option<int>("--attackers") { Description = "Attackers per class (plus slow and distributed variants)", DefaultValueFactory = _ => 4 };
        var benignOnly = new Option<bool>("--benign-only") { Description = "No attacks (training data)" };
        var nats = new Option<int>("--nats") { Description = "Carrier NATs (many users behind one IP)", DefaultValueFactory = _ => 3 };
        var batches = new Option<int>("--batches") { Description = "High-rate API-key integrations", DefaultValueFactory = _ => 2 };
        var crawlers = new Option<int>("--crawlers") { Description = "Search-engine crawlers", DefaultValueFactory = _ => 2 };
        var natUsers = new Option<int>("--nat-users") { Description = "Mean users per NAT (each NAT has half to one and a half times this)", DefaultValueFactory = _ => 40 };
        var stealthy = new Option<bool>("--stealthy") { Description = "Add the stealthy attacks (low-and-slow brute force, a /24 botnet, IPv6 rotation, a slow scraper) and their look-alikes; generate at least 70 minutes" };
        var command = new Command("generate", "Write labelled RequestEvent JSON lines from the traffic generator") { output, seed, minutes, users, attackers, benignOnly, nats, batches, crawlers, natUsers, stealthy };
        command.SetAction(async (p, ct) =>
        {
            var options = new TrafficOptions
            {
                Seed = p.GetValue(seed),
                Duration = TimeSpan.FromMinutes(p.GetValue(minutes)),
                BrowsingUsers = p.GetValue(users),
                AttackersPerClass = p.GetValue(attackers),
                BenignOnly = p.GetValue(benignOnly),
                NatGroups = p.GetValue(nats),
                BatchIntegrations = p.GetValue(batches),
                Crawlers = p.GetValue(crawlers),
                UsersPerNat = p.GetValue(natUsers),
                Stealthy = p.GetValue(stealthy),
            };
            var path = p.GetValue(output)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await using var writer = new StreamWriter(path);
            var n = await TrafficGenerator.WriteJsonLinesAsync(TrafficGenerator.Generate(options), writer, ct);
            Console.WriteLine($"wrote {n} events to {path}");
            return 0;
        });
        return command;
    }

    private static Command Traffic()
    {
        var url = new Option<string>("--url") { Description = "Base URL of the sidecar", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 7 };
        var speed = new Option<double>("--speed") { DefaultValueFactory = _ => 1 };
        var max = new Option<int>("--max-requests") { DefaultValueFactory = _ => 20_000 };
        var command = new Command("traffic", "Send the demo mix of benign and attack traffic as real HTTP from distinct 127.x.y.z addresses") { url, seed, speed, max };
        command.SetAction(async (p, ct) =>
        {
            var options = TrafficOptions.Demo(p.GetValue(seed));
            options.Speed = p.GetValue(speed);
            options.MaxRequests = p.GetValue(max);
            var summary = await TrafficGenerator.RunHttpAsync(new Uri(p.GetValue(url)!), options, ct);
            Console.WriteLine(summary);
            return 0;
        });
        return command;
    }

    /// <summary>Resolves the model option: explicit path, 'none', or the default model when present.</summary>
    internal static ModelHolder? LoadModel(string? option, DetectionOptions options)
    {
        if (option == "none")
        {
            return null;
        }

        var path = ModelHolder.Resolve(option ?? options.Model.Path);
        if (path is null)
        {
            if (option is not null)
            {
                throw new FileNotFoundException($"model not found: {option}");
            }

            return null;
        }

        return ModelHolder.FromFile(path);
    }
}
