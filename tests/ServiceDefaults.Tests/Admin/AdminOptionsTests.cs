using Analytics.ServiceDefaults.Hosting;
using Analytics.ServiceDefaults.Tests.Infrastructure;

namespace Analytics.ServiceDefaults.Tests.Admin;

public sealed class AdminOptionsTests
{
    [Theory]
    [InlineData(null, "Test:Admin:Token: the admin API requires a token")]
    [InlineData("short", "Test:Admin:Token: the admin token must be at least 16 characters")]
    [InlineData("set-me-via-Sidecar__Admin__Token", "Test:Admin:Token: is a sample placeholder")]
    [InlineData("<the token the demo printed>", "Test:Admin:Token: is a sample placeholder")]
    public async Task A_missing_short_or_sample_token_stops_start_up_naming_the_key(string? token, string expected)
    {
        var lines = await StartupLinesAsync(new() { ["Test:Admin:Token"] = token });

        Assert.Contains(lines, l => l.StartsWith("configuration error: " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_non_loopback_address_needs_an_explicit_choice()
    {
        var lines = await StartupLinesAsync(new() { ["Test:Admin:Url"] = "http://0.0.0.0:0" });

        Assert.Contains("configuration error: Test:Admin:Url: the admin API binds to loopback only; set AllowNonLoopback=true to override", lines);
    }

    [Fact]
    public async Task An_unknown_admin_key_and_a_bad_metrics_token_are_reported_together()
    {
        var lines = await StartupLinesAsync(new() { ["Test:Admin:Tokne"] = "x", ["Test:Admin:MetricsToken"] = AdminHost.Token });

        Assert.Contains(lines, l => l.Contains("Tokne", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_metrics_token_must_differ_from_the_admin_token()
    {
        var lines = await StartupLinesAsync(new() { ["Test:Admin:MetricsToken"] = AdminHost.Token });

        Assert.Contains("configuration error: Test:Admin:MetricsToken: must differ from the admin token (it opens /metrics only)", lines);
    }

    private static async Task<IReadOnlyList<string>> StartupLinesAsync(Dictionary<string, string?> settings)
    {
        var ex = await Record.ExceptionAsync(async () => await (await AdminHost.StartAsync(settings)).DisposeAsync());
        Assert.NotNull(ex);
        var failure = StartupFailure.From(ex);
        Assert.NotNull(failure);
        return failure.Lines;
    }
}
