namespace Analytics.Alerts.Jobs;

/// <summary>Where delivery jobs are stored and how the Hangfire server polls (<c>Alerts:Hangfire</c>).</summary>
public sealed class HangfireStorageOptions
{
    /// <summary>A PostgreSQL connection string; jobs are kept in memory when empty (Standalone's default).</summary>
    public string? PostgreSql { get; set; }

    /// <summary>The PostgreSQL schema for the alerts' jobs, apart from other services' Hangfire tables.</summary>
    public string Schema { get; set; } = "hangfire_alerts";

    /// <summary>Concurrent deliveries.</summary>
    public int WorkerCount { get; set; } = 8;

    /// <summary>How often scheduled retries are moved to their queue (and PostgreSQL queues polled).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
