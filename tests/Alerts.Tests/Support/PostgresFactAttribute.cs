namespace Analytics.Alerts.Tests.Support;

/// <summary>A test that needs PostgreSQL: skipped, saying why, when <c>ALERTS_TEST_POSTGRES</c> is not set (.ci/run sets it).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(PostgresSchema.ConnectionString))
        {
            Skip = "needs PostgreSQL: set ALERTS_TEST_POSTGRES to a connection string, e.g. eval \"$(bash .ci/postgres.sh start)\" (.ci/run does)";
        }
    }
}
