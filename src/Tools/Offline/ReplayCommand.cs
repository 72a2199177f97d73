using System.Diagnostics;
using Analytics.Detection;
using Analytics.Detection.Decisions;
using Analytics.Detection.Ingest;

namespace Analytics.Tools.Offline;

/// <summary>The <c>replay</c> command: events at their recorded pace (scaled), decisions printed as they happen.</summary>
internal static class ReplayCommand
{
    public static async Task<int> RunAsync(string input, double speed, string? model, CancellationToken ct)
    {
        var options = new DetectionOptions();
        var holder = DetectionCommands.LoadModel(model, options);
        var pipeline = PipelineFactory.Create(options, holder, TimeProvider.System);
        var reader = new EventFileReader();
        var outcomes = new List<AnalyzerOutcome>();
        var progress = new ConsoleProgress("events");
        var clock = Stopwatch.StartNew();
        long first = 0, n = 0, decisions = 0, alerts = 0;
        foreach (var input1 in reader.Read(input))
        {
            var e = input1.Event;
            if (first == 0)
            {
                first = e.Timestamp.UtcTicks;
            }

            if (speed > 0)
            {
                var due = TimeSpan.FromTicks((long)((e.Timestamp.UtcTicks - first) / speed));
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, ct);
                }
            }

            outcomes.Clear();
            pipeline.Process(e, outcomes);
            foreach (var o in outcomes)
            {
                alerts++;
                if (o.Decision is { } d)
                {
                    decisions++;
                    Console.WriteLine($"{e.Timestamp:HH:mm:ss} {d.Action,-8} {d.Scope}:{d.Value,-16} {d.Source,-26} ttl {(d.Expires - d.Created)?.TotalMinutes:0}m  {d.Evidence?.Explanation}");
                }
                else
                {
                    Console.WriteLine($"{e.Timestamp:HH:mm:ss} alert    {o.Alert.Entity,-19} {o.Alert.Type,-26} {o.Alert.Summary}");
                }
            }

            progress.Report(++n);
        }

        progress.Done(n);
        Console.WriteLine($"{n} events, {decisions} decisions, {alerts} alerts, {pipeline.Store.LateEvents} late events, {reader.Skipped} unparsable lines");
        return 0;
    }
}
