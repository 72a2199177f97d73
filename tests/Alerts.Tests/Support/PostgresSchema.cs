using Npgsql;

namespace Analytics.Alerts.Tests.Support;

/// <summary>A Hangfire schema of its own for one test in the test PostgreSQL, dropped afterwards.</summary>
internal sealed class PostgresSchema : IAsyncDisposable
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("ALERTS_TEST_POSTGRES");

    public string Name { get; } = "t_" + Guid.NewGuid().ToString("N");

    public Dictionary<string, string?> Config() => new()
    {
        ["Alerts:Hangfire:PostgreSql"] = ConnectionString,
        ["Alerts:Hangfire:Schema"] = Name,
    };

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
