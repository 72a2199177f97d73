using Analytics.Alerts.Jobs;
using Analytics.Alerts.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Alerts.Tests.Jobs;

public sealed class SecretsTests
{
    private const string SlackSecret = "T0SECRET/B0SECRET/xoxSlackWebhookToken";
    private const string SmtpPassword = "smtp-password-never-shown";
    private const string HmacSecret = "hmac-secret-never-shown-anywhere";

    [Fact]
    public async Task Webhook_URLs_SMTP_passwords_and_HMAC_secrets_appear_in_no_log_line_job_argument_or_failed_job()
    {
        await using var slack = await HttpReceiver.StartAsync();
        slack.Respond = _ => (500, null);
        await using var hook = await HttpReceiver.StartAsync();
        hook.Respond = _ => (502, null);
        await using var host = await AlertsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Slack:WebhookUrl"] = slack.BaseUrl + "/services/" + SlackSecret,
            ["Alerts:Webhook:Url"] = hook.BaseUrl + "/in?token=" + HmacSecret,
            ["Alerts:Webhook:Secret"] = HmacSecret,
            // Nothing listens on port 9 (discard): every email attempt fails.
            ["Alerts:Email:Host"] = "127.0.0.1",
            ["Alerts:Email:Port"] = "9",
            ["Alerts:Email:Security"] = "None",
            ["Alerts:Email:To:0"] = "secops@example.com",
            ["Alerts:Email:Username"] = "alerts",
            ["Alerts:Email:Password"] = SmtpPassword,
            ["Alerts:Delivery:Retries"] = "1",
        });

        await host.PublishAsync(TestAlerts.BruteForce());
        await Eventually.TrueAsync(
            () => host.Stats.For("slack").Failed == 1 && host.Stats.For("webhook").Failed == 1 && host.Stats.For("email").Failed == 1,
            "every channel failed for good");

        var storage = host.Services.GetRequiredService<AlertJobStorage>().Storage;
        var failed = storage.GetMonitoringApi().FailedJobs(0, 10);
        Assert.Equal(3, failed.Count);
        var seen = string.Join("\n", host.Logs.Lines)
            + string.Join("\n", failed.Select(j => $"{string.Join(",", j.Value.Job.Args)} {j.Value.ExceptionMessage} {j.Value.ExceptionDetails}"));
        Assert.Contains("slack: HTTP 500", seen);
        Assert.Contains("webhook: HTTP 502", seen);
        Assert.Contains("email: cannot connect", seen);
        foreach (var secret in new[] { SlackSecret, "B0SECRET", SmtpPassword, HmacSecret })
        {
            Assert.DoesNotContain(secret, seen);
        }

        // The dashboard shows the same jobs, behind the admin token.
        using var anonymous = new HttpClient { BaseAddress = new Uri(host.AdminUrl) };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/alerts/hangfire/jobs/failed")).StatusCode);
        using var admin = host.AdminClient();
        var page = await admin.GetStringAsync("/alerts/hangfire/jobs/failed");
        Assert.Contains("deliver", page);
        foreach (var secret in new[] { SlackSecret, SmtpPassword, HmacSecret })
        {
            Assert.DoesNotContain(secret, page);
        }
    }
}
