using System.CommandLine;
using System.Globalization;
using Analytics.Search.Elasticsearch;
using Analytics.Search.Report;
using Analytics.Tools.Cli;

namespace Analytics.Tools.Offline;

/// <summary>
/// <c>report --from 2026-11-01 --to 2026-11-30 --out report.html [--elasticsearch URL]</c>: the
/// compliance report page, from the NDJSON archive or from Elasticsearch; the engines are in Analytics.Search.
/// </summary>
internal static class ReportCommand
{
    /// <summary>The services' configuration keys, as environment variables: a shell that runs the analyzer's container settings runs the report the same way.</summary>
    public const string UrlVariable = "Search__Elasticsearch__Url";
    public const string ApiKeyVariable = "Search__Elasticsearch__ApiKey";
    public const string UsernameVariable = "Search__Elasticsearch__Username";
    public const string PasswordVariable = "Search__Elasticsearch__Password";
    public const string NamespaceVariable = "Search__Namespace";

    public static Command Create(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "First UTC day, yyyy-MM-dd", Required = true };
        var to = new Option<string>("--to") { Description = "Last UTC day, yyyy-MM-dd (included)", Required = true };
        var output = new Option<string>("--out") { Description = "HTML file to write", DefaultValueFactory = _ => "report.html" };
        var data = SearchCommand.DataOption();
        var elasticsearch = new Option<string?>("--elasticsearch")
        {
            Description = $"Read the data streams of this Elasticsearch instead of the archive (default: ${UrlVariable}); credentials from ${ApiKeyVariable}, or ${UsernameVariable} and ${PasswordVariable}",
        };
        var @namespace = new Option<string?>("--namespace") { Description = $"The data streams' namespace (default: ${NamespaceVariable} or default)" };
        var command = new Command("report", "Write a self-contained HTML compliance report from the archived documents, or from Elasticsearch")
        {
            from, to, output, data, elasticsearch, @namespace,
        };
        command.SetAction(async (p, ct) =>
        {
            if (!DateOnly.TryParseExact(p.GetValue(from), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
                || !DateOnly.TryParseExact(p.GetValue(to), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last)
                || last < first)
            {
                await context.Error.WriteLineAsync("--from and --to take yyyy-MM-dd days, --to not before --from");
                return ExitCodes.Usage;
            }

            var es = new ElasticsearchOptions
            {
                Url = p.GetValue(elasticsearch) is { Length: > 0 } u ? u : context.Environment(UrlVariable),
                ApiKey = context.Environment(ApiKeyVariable),
                Username = context.Environment(UsernameVariable),
                Password = context.Environment(PasswordVariable),
            };
            if (!string.IsNullOrWhiteSpace(es.Url) && !(Uri.TryCreate(es.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
            {
                await context.Error.WriteLineAsync($"--elasticsearch: '{es.Url}' is not an http(s) URL");
                return ExitCodes.Usage;
            }

            var ns = p.GetValue(@namespace) is { Length: > 0 } n ? n : context.Environment(NamespaceVariable) is { Length: > 0 } e ? e : "default";
            var source = ReportSources.Create(es, ns, Path.Combine(p.GetValue(data)!, "search"));
            ComplianceReport report;
            try
            {
                report = await source.BuildAsync(first, last, DateTimeOffset.UtcNow, ct);
            }
            catch (ReportSourceException ex)
            {
                await context.Error.WriteLineAsync("report: " + ex.Message);
                return ex.Failure switch
                {
                    ReportSourceFailure.Unauthorized => ExitCodes.Unauthorized,
                    ReportSourceFailure.NotFound => ExitCodes.NotFound,
                    ReportSourceFailure.Unreachable => ExitCodes.Unreachable,
                    _ => ExitCodes.Failed,
                };
            }

            var path = Path.GetFullPath(p.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, HtmlReportWriter.Write(report), ct);
            await context.Out.WriteLineAsync($"wrote {path}: {report.Requests} requests, {report.Rejected} rejected, {report.AutomaticDecisions + report.ManualDecisions} decisions");
            return ExitCodes.Ok;
        });
        return command;
    }
}
