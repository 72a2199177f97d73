using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Jobs;

/// <summary>
/// The alerts' own Hangfire storage: PostgreSQL when <c>Alerts:Hangfire:PostgreSql</c> is set,
/// in memory otherwise. Its own instance (not Hangfire's global one), so in one process with the
/// analyzer each keeps its jobs, queues and dashboard apart.
/// </summary>
internal sealed class AlertJobStorage
{
    public AlertJobStorage(IOptions<AlertsOptions> options)
    {
        var o = options.Value.Hangfire;
        if (string.IsNullOrWhiteSpace(o.PostgreSql))
        {
            Storage = new InMemoryStorage(new InMemoryStorageOptions());
            Name = "in-memory";
            return;
        }

        var postgres = new PostgreSqlStorageOptions
        {
            SchemaName = o.Schema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = o.PollInterval,
            // A job whose worker died becomes visible again after this; heartbeats extend it while the worker lives.
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
        };
        Storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(o.PostgreSql, postgres), postgres);
        Name = "postgresql";
    }

    public JobStorage Storage { get; }

    /// <summary><c>in-memory</c> or <c>postgresql</c>, for stats and logs.</summary>
    public string Name { get; }
}
