using System.Globalization;
using System.Security.Cryptography;
using Analytics.Detection;
using Analytics.Detection.Ingest;
using Analytics.Detection.Model;

namespace Analytics.Tools.Offline;

/// <summary>The <c>train</c> command: the anomaly model from event files, with its model card.</summary>
internal static class TrainCommand
{
    public static int Run(string[] inputs, string output, int seed)
    {
        var options = new DetectionOptions();
        var progress = new ConsoleProgress("events");
        long n = 0;
        var infos = new List<TrainingInput>();
        var windows = new List<LabelledWindow>();
        foreach (var path in inputs)
        {
            var reader = new EventFileReader();
            var before = n;
            windows.AddRange(WindowSampler.Sample(reader.Read(path), options.Features, options.Model.MinRequests, _ => progress.Report(++n)));
            infos.Add(new TrainingInput(Path.GetFileName(path), Sha256(path), n - before));
        }

        progress.Done(n);
        var name = Path.GetFileNameWithoutExtension(output);
        var command = "dotnet run --project src/Tools -- train --input " + string.Join(' ', inputs) + " --out " + output;
        var (model, _) = ModelTrainer.Train(windows, name, seed, options.Model.MinRequests, infos, command, output);
        Console.WriteLine($"model {name}: {model.Card.Training.Windows} training windows, {model.Card.Training.HeldOutWindows} held out, threshold {model.Threshold:0.###}");
        foreach (var (k, v) in model.Card.Evaluation)
        {
            Console.WriteLine($"  {k}: {v.ToString("0.####", CultureInfo.InvariantCulture)}");
        }

        Console.WriteLine($"written {output} and {Path.ChangeExtension(output, ".json")}");
        return 0;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
