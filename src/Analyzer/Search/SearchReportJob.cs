using Analytics.Search.Report;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Search;

/// <summary>The weekly compliance report: the seven UTC days before today, from the archive, to <c>Search:Report:Directory</c>.</summary>
internal sealed class SearchReportJob(IOptions<SearchOptions> options, TimeProvider time, ILogger<SearchReportJob> logger)
{
    public const string Id = "search-weekly-report";

    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public string Run()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return Write(today.AddDays(-7), today.AddDays(-1));
    }

    public string Write(DateOnly from, DateOnly to)
    {
        var o = options.Value;
        var report = new ReportBuilder(o.Archive.Directory).Build(from, to, time.GetUtcNow());
        Directory.CreateDirectory(o.Report.Directory);
        var path = Path.GetFullPath(Path.Combine(o.Report.Directory, $"report-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}.html"));
        File.WriteAllText(path, HtmlReportWriter.Write(report));
        SearchLog.ReportWritten(logger, from, to, path);
        return path;
    }
}
