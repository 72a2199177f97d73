using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// Issue 13's eighth pass, SQL (942): database catalogue names, "which database is this" calls,
/// PostgreSQL large-object and file functions and <c>::type</c> casts, each in several places,
/// with the look-alikes real APIs carry (code in other languages, IPv6, prose).
/// </summary>
public sealed class CrsGapSqlTests
{
    public static TheoryData<string, string> Attacks => new()
    {
        { "tempdb", "sqli-system-object" },
        { "MSDB..backupset", "sqli-system-object" },
        { "pg_catalog.pg_tables", "sqli-system-object" },
        { "1 and exists(select 1 from pg_shadow)", "sqli-system-object" },
        { "master..sysdatabases", "sqli-system-object" },
        { "sqlite_master", "sqli-system-object" },
        { "MSysObjects", "sqli-system-object" },
        { "database()", "sqli-system-object" },
        { "DB_NAME(", "sqli-system-object" },
        { "current_database()", "sqli-system-object" },
        { "lo_get(16401)", "sqli-dangerous-function" },
        { "1;select lo_export(16401, '/tmp/x')", "sqli-dangerous-function" },
        { "pg_ls_dir('.')", "sqli-dangerous-function" },
        { "email::int", "sqli-postgres-cast" },
        { "1 and version()::int=1", "sqli-postgres-cast" },
        { "current_setting('data_directory')::text", "sqli-postgres-cast" },
        { "'42'::INTEGER", "sqli-postgres-cast" },
        { "(select usename from pg_user limit 1)::bigint", "sqli-postgres-cast" },
        { "concat(token)::double precision", "sqli-postgres-cast" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Attack_is_found_in_every_place(string payload, string rule)
    {
        Inspect.AssertBlockedIn(payload, rule, "query-value", "header", "cookie-value", "json-value", "form-value");
    }

    [Theory]
    // Paths of other languages, constants, IPv6.
    [InlineData("std::string name; std::int64_t count;")]
    [InlineData("use crate::text;")]
    [InlineData("let n = u8::MAX; let s: String = String::from(\"x\");")]
    [InlineData("$type = Types::TEXT; $t2 = Types::INTEGER;")]
    [InlineData("use IO::Socket::INET; use Mojo::JSON;")]
    [InlineData("ActiveRecord::Type::Boolean.new")]
    [InlineData("fe80::1%eth0")]
    [InlineData("2001:db8::ff00:42:8329")]
    [InlineData("Foo::Text and Bar::Int")]
    [InlineData("12:30::45")]
    // Prose and names that mention databases.
    [InlineData("Our database (PostgreSQL 16) is backed up nightly")]
    [InlineData("Which database(s) do you use?")]
    [InlineData("Northwind Traders")]
    [InlineData("schema_name")]
    [InlineData("The temp db folder is full")]
    [InlineData("pg_dump --format=custom mydb")]
    [InlineData("user_tables")]
    public void Lookalike_is_allowed(string value)
    {
        var verdict = Inspect.Param(value);
        Assert.False(verdict.Blocks(), $"{value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
        var json = Inspect.Json("{\"note\":" + System.Text.Json.JsonSerializer.Serialize(value) + "}");
        Assert.False(json.Blocks(), $"json {value}: {json.Score} ({string.Join(", ", json.Rules)})");
    }
}
