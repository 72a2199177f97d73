namespace Analytics.Search.Report;

/// <summary>Where a compliance report's numbers come from: the NDJSON archive (DuckDB) or Elasticsearch; both fill the same model.</summary>
public interface IReportSource
{
    /// <summary>The report for the UTC days <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    /// <exception cref="ReportSourceException">The source refused or could not be reached.</exception>
    Task<ComplianceReport> BuildAsync(DateOnly from, DateOnly to, DateTimeOffset now, CancellationToken cancellationToken);
}
