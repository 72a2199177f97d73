namespace Analytics.Analyzer.Jobs;

/// <summary>Hangfire storage and schedules (<c>Analyzer:Hangfire</c>).</summary>
public sealed class HangfireOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>PostgreSQL connection string; when set, jobs are stored there instead of in memory.</summary>
    public string? PostgreSql { get; set; }

    public string RetrainCron { get; set; } = "0 3 * * *";

    public string ExpirySweepCron { get; set; } = "* * * * *";

    public string DailySummaryCron { get; set; } = "0 7 * * *";

    /// <summary>The API catalog refresh (shadow and zombie endpoints, see Analyzer:Catalog).</summary>
    public string CatalogCron { get; set; } = "0 * * * *";
}
