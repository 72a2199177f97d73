using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Analytics.Tools.Cli;

namespace Analytics.Tools.Tests.Cli;

/// <summary>The command line against a running Standalone: what people and scripts see.</summary>
public sealed class AdminCommandTests(StandaloneForCli standalone) : IClassFixture<StandaloneForCli>
{
    [Fact]
    public async Task Decisions_add_list_and_delete_round_trip_as_tables_and_json()
    {
        var add = await Run("decisions", "add", "--scope", "ip", "--value", "127.0.0.77", "--action", "block", "--ttl", "300", "--reason", "cli test", "--output", "json");
        Assert.Equal((ExitCodes.Ok, ""), (add.ExitCode, add.Error));
        using var added = JsonDocument.Parse(add.Out);
        var id = added.RootElement.GetProperty("id").GetString()!;
        Assert.Equal("127.0.0.77", added.RootElement.GetProperty("value").GetString());

        var table = await Run("decisions", "list");
        Assert.Equal(ExitCodes.Ok, table.ExitCode);
        var row = Assert.Single(table.Out.Split('\n'), l => l.Contains("127.0.0.77", StringComparison.Ordinal));
        Assert.Contains(id, row, StringComparison.Ordinal);
        Assert.Contains("cli test", row, StringComparison.Ordinal);

        var json = await Run("decisions", "list", "-o", "json");
        using (var listed = JsonDocument.Parse(json.Out))
        {
            Assert.Contains(listed.RootElement.EnumerateArray(), d => d.GetProperty("id").GetString() == id);
        }

        var delete = await Run("decisions", "delete", id);
        Assert.Equal(ExitCodes.Ok, delete.ExitCode);
        Assert.Contains($"Lifted decision {id}.", delete.Out, StringComparison.Ordinal);

        var after = await Run("decisions", "list", "-o", "json");
        using (var listed = JsonDocument.Parse(after.Out))
        {
            Assert.DoesNotContain(listed.RootElement.EnumerateArray(), d => d.GetProperty("id").GetString() == id);
        }

        var again = await Run("decisions", "delete", id);
        Assert.Equal(ExitCodes.NotFound, again.ExitCode);
        Assert.StartsWith($"analytics: DELETE {standalone.AdminUrl}/decisions/{id}: not found", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allowlist_add_list_and_delete_round_trip()
    {
        var add = await Run("allowlist", "add", "--scope", "cidr", "--value", "10.9.0.0/16", "--reason", "office", "--ttl", "600");
        Assert.Equal((ExitCodes.Ok, ""), (add.ExitCode, add.Error));

        var list = await Run("allowlist", "list", "--output", "json");
        using (var entries = JsonDocument.Parse(list.Out))
        {
            var entry = Assert.Single(entries.RootElement.EnumerateArray(), e => e.GetProperty("value").GetString() == "10.9.0.0/16");
            Assert.Equal("office", entry.GetProperty("reason").GetString());
        }

        var table = await Run("allowlist", "list");
        Assert.Contains(table.Out.Split('\n'), l => l.Contains("10.9.0.0/16", StringComparison.Ordinal) && l.Contains("office", StringComparison.Ordinal));

        var delete = await Run("allowlist", "delete", "--scope", "cidr", "--value", "10.9.0.0/16");
        Assert.Equal(ExitCodes.Ok, delete.ExitCode);
        var after = await Run("allowlist", "list", "-o", "json");
        Assert.DoesNotContain("10.9.0.0/16", after.Out, StringComparison.Ordinal);
        var again = await Run("allowlist", "delete", "--scope", "cidr", "--value", "10.9.0.0/16");
        Assert.Equal(ExitCodes.NotFound, again.ExitCode);
    }

    [Fact]
    public async Task A_bad_token_is_exit_code_3_with_a_message_naming_the_variable()
    {
        var run = await CliRun.RunAsync("not-the-admin-token-at-all", "decisions", "list", "--url", standalone.AdminUrl);

        Assert.Equal(ExitCodes.Unauthorized, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal($"analytics: GET {standalone.AdminUrl}/decisions: the admin API refused the token (401); check ANALYTICS_ADMIN_TOKEN", run.Error.TrimEnd());
    }

    [Fact]
    public async Task No_token_or_bad_arguments_are_usage_errors()
    {
        var noToken = await CliRun.RunAsync(null, "decisions", "list", "--url", standalone.AdminUrl);
        var badScope = await Run("decisions", "add", "--scope", "planet", "--value", "x");
        var badOutput = await Run("stats", "--output", "xml");

        Assert.Equal((ExitCodes.Usage, "analytics: set ANALYTICS_ADMIN_TOKEN to the admin token"), (noToken.ExitCode, noToken.Error.TrimEnd()));
        Assert.Equal(ExitCodes.Usage, badScope.ExitCode);
        Assert.Contains("planet", badScope.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badOutput.ExitCode);
    }

    [Fact]
    public async Task An_invalid_decision_is_refused_with_the_apis_reason()
    {
        var run = await Run("decisions", "add", "--scope", "ip", "--value", "not-an-address");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("400", run.Error, StringComparison.Ordinal);
        Assert.Contains("value", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_admin_api_is_exit_code_5()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var run = await CliRun.RunAsync(standalone.Token, "alerts", "list", "--url", $"http://127.0.0.1:{port}");

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.StartsWith($"analytics: cannot reach the admin API at http://127.0.0.1:{port}/", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_alerts_and_catalog_answer_from_a_standalone()
    {
        var stats = await Run("stats");
        var statsJson = await Run("stats", "-o", "json");
        var alerts = await Run("alerts", "list", "-o", "json");
        var catalog = await Run("catalog", "-o", "json");
        var openApi = await Run("catalog", "--openapi");

        Assert.Equal(ExitCodes.Ok, stats.ExitCode);
        Assert.Contains("sidecar", stats.Out, StringComparison.Ordinal);
        Assert.Contains("analyzer", stats.Out, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(statsJson.Out))
        {
            Assert.True(document.RootElement.GetProperty("sidecar").TryGetProperty("requests", out _));
            Assert.True(document.RootElement.GetProperty("analyzer").TryGetProperty("events", out _));
        }

        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(alerts.Out).RootElement.ValueKind);
        Assert.True(JsonDocument.Parse(catalog.Out).RootElement.TryGetProperty("operations", out _));
        Assert.StartsWith("3.", JsonDocument.Parse(openApi.Out).RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
    }

    private Task<CliRun> Run(params string[] args) => CliRun.RunAsync(standalone.Token, [.. args, "--url", standalone.AdminUrl]);
}
