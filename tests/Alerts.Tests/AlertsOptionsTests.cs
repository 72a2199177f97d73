using Analytics.Alerts.Tests.Support;
using Analytics.ServiceDefaults.Hosting;

namespace Analytics.Alerts.Tests;

public sealed class AlertsOptionsTests
{
    [Fact]
    public async Task Bad_values_stop_start_up_naming_each_key_without_echoing_a_secret()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => AlertsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Slack:WebhookUrl"] = "hooks.slack.example/services/T0/B0/secret-token",
            ["Alerts:Slack:MinSeverity"] = "urgent",
            ["Alerts:Webhook:Url"] = "http://127.0.0.1:9/in",
            ["Alerts:Webhook:Secret"] = "short",
            ["Alerts:Email:Host"] = "127.0.0.1",
            ["Alerts:Email:Security"] = "Tls",
            ["Alerts:Hangfire:Schema"] = "drop table;",
        }));

        var problems = ServiceRunner.ConfigurationProblems(ex);
        Assert.Contains(problems, p => p.StartsWith("Alerts:Slack:WebhookUrl:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Alerts:Slack:MinSeverity: 'urgent'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Alerts:Webhook:Secret:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Alerts:Email:Security:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Alerts:Email:To:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Alerts:Hangfire:Schema:", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("secret-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_key_stops_start_up()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => AlertsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Channels:Slack:WebhookUrl"] = "http://127.0.0.1:9/hook",
        }));

        Assert.Contains(ServiceRunner.ConfigurationProblems(ex), p => p.Contains("Channels", StringComparison.Ordinal));
    }
}
