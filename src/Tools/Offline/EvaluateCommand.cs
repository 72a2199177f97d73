
using Analytics.Detection;
using Analytics.Detection.Evaluation;
using Analytics.Detection.Ingest;

namespace Analytics.Tools.Offline;

/// <summary>The <c>evaluate</c> command.</summary>
internal static class EvaluateCommand
{
    public static async Task<int> RunAsync(string input, string? labels, string? report, bool rules, string? model, CancellationToken ct)
    {
        var options = new DetectionOptions();
        var holder = DetectionCommands.LoadModel(model, options);
        var pipeline = PipelineFactory.Create(options, holder, TimeProvider.System, rules);
        var evaluator = new Evaluator { CsvLabels = labels is null ? null : Evaluator.ReadCsvLabels(labels) };
        var reader = new EventFileReader();
        var progress = new ConsoleProgress("events");
        long n = 0;
        foreach (var e in reader.Read(input))
        {
            ct.ThrowIfCancellationRequested();
            evaluator.Feed(pipeline, e);
            progress.Report(++n);
        }

        progress.Done(n);
        var result = evaluator.Result();
        Console.WriteLine($"format: {reader.Format}, skipped lines: {reader.Skipped}, rules: {(rules ? "on" : "off")}, model: {holder?.Current?.Card.Name ?? "none"}");
        Console.WriteLine(EvaluationReport.Table(result));
        if (report is not null)
        {
            await File.WriteAllTextAsync(report, EvaluationReport.Json(result), ct);
            Console.WriteLine($"report written to {report}");
        }

        return 0;
    }
}
