using System.CommandLine;
using System.Globalization;
using Analytics.Search.Report;

namespace Analytics.Tools.Offline;

/// <summary><c>report --from 2026-11-01 --to 2026-11-30 --out report.html</c>: the compliance report page; the engine is in Analytics.Search.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "First UTC day, yyyy-MM-dd", Required = true };
        var to = new Option<string>("--to") { Description = "Last UTC day, yyyy-MM-dd (included)", Required = true };
        var output = new Option<string>("--out") { Description = "HTML file to write", DefaultValueFactory = _ => "report.html" };
        var data = SearchCommand.DataOption();
        var command = new Command("report", "Write a self-contained HTML compliance report from the archived documents") { from, to, output, data };
        command.SetAction((p, ct) =>
        {
            if (!DateOnly.TryParseExact(p.GetValue(from), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
                || !DateOnly.TryParseExact(p.GetValue(to), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last)
                || last < first)
            {
                Console.Error.WriteLine("--from and --to take yyyy-MM-dd days, --to not before --from");
                return Task.FromResult(2);
            }

            var report = new ReportBuilder(Path.Combine(p.GetValue(data)!, "search")).Build(first, last, DateTimeOffset.UtcNow);
            var path = Path.GetFullPath(p.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, HtmlReportWriter.Write(report));
            Console.WriteLine($"wrote {path}: {report.Requests} requests, {report.Rejected} rejected, {report.AutomaticDecisions + report.ManualDecisions} decisions");
            return Task.FromResult(0);
        });
        return command;
    }
}
