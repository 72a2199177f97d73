using Analytics.Search.Report;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Search;

/// <summary>
/// The weekly compliance report: the seven UTC days before today, to <c>Search:Report:Directory</c>,
/// from Elasticsearch when <c>Search:Elasticsearch:Url</c> is set, from the archive otherwise.
/// </summary>
internal sealed class SearchReportJob(IOptions<SearchOptions> options, TimeProvider time, ILogger<SearchReportJob> logger)
{
    public const string Id = "search-weekly-report";

    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public Task<string> Run()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return WriteAsync(today.AddDays(-7), today.AddDays(-1), CancellationToken.None);
    }

    public async Task<string> WriteAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var source = ReportSources.Create(o.Elasticsearch, o.Namespace, o.Archive.Directory);
        var report = await source.BuildAsync(from, to, time.GetUtcNow(), cancellationToken);
        Directory.CreateDirectory(o.Report.Directory);
        var path = Path.GetFullPath(Path.Combine(o.Report.Directory, $"report-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}.html"));
        await File.WriteAllTextAsync(path, HtmlReportWriter.Write(report), cancellationToken);
        SearchLog.ReportWritten(logger, from, to, path);
        return path;
    }
}
