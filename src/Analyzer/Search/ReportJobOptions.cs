namespace Analytics.Analyzer.Search;

/// <summary>The weekly compliance report (<c>Search:Report</c>), written from Elasticsearch when configured, from the archive otherwise.</summary>
public sealed class ReportJobOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Hangfire cron; Monday 06:00 UTC by default, covering the seven days before.</summary>
    public string Cron { get; set; } = "0 6 * * 1";

    public string Directory { get; set; } = Path.Combine("data", "reports");
}
