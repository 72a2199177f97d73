using Analytics.Alerts.Tests.Support;
using Analytics.Messaging;
using MimeKit;

namespace Analytics.Alerts.Tests.Channels;

public sealed class EmailChannelTests
{
    private static Dictionary<string, string?> EmailConfig(SmtpSink smtp) => new()
    {
        ["Alerts:Email:Host"] = "127.0.0.1",
        ["Alerts:Email:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts:Email:Security"] = "None",
        ["Alerts:Email:From"] = "alerts@analytics.example",
        ["Alerts:Email:To:0"] = "secops@example.com",
        ["Alerts:Email:RecipientsBySeverity:critical:0"] = "oncall@example.com",
        ["Alerts:Email:MinSeverity"] = "medium",
        ["Alerts:KibanaUrl"] = "http://kibana.example:5601",
    };

    [Fact]
    public async Task An_alert_arrives_as_one_multipart_email_with_both_parts_the_Kibana_link_and_the_lift_command()
    {
        await using var smtp = await SmtpSink.StartOnFreePortAsync();
        await using var host = await AlertsHost.StartAsync(EmailConfig(smtp));

        await host.PublishAsync(TestAlerts.BruteForce("203.0.113.9", severity: AlertSeverities.Critical));
        await Eventually.TrueAsync(() => smtp.Messages.Count == 1, "one email");

        var mail = smtp.Messages[0];
        Assert.Equal("[CRITICAL] brute_force: ip:203.0.113.9", mail.Subject);
        Assert.Equal(["secops@example.com", "oncall@example.com"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("alerts@analytics.example", mail.From.Mailboxes.Single().Address);
        Assert.Equal("multipart/alternative", mail.Body!.ContentType.MimeType);
        var text = mail.TextBody;
        var html = mail.HtmlBody;
        foreach (var part in new[] { text, html })
        {
            Assert.Contains("ip:203.0.113.9", part);
            Assert.Contains("login_failures = 42 (threshold 20)", part);
            Assert.Contains("/decisions/dec-203-0-113-9", part);
            Assert.Contains("http://kibana.example:5601/app/discover#/", part);
        }

        // Without Alerts:DecisionsAdminUrl the command names this process's admin listener (Standalone's case).
        Assert.Contains($"curl -X DELETE -H \"Authorization: Bearer $ADMIN_TOKEN\" {host.AdminUrl}/decisions/dec-203-0-113-9", text);
        Assert.Contains("curl -X DELETE -H &quot;Authorization: Bearer $ADMIN_TOKEN&quot;", html);
        Assert.Contains("<a href=\"http://kibana.example:5601/app/discover#/", html);
        Assert.EndsWith("@analytics.example", mail.MessageId);
        Assert.Single(mail.References);
    }

    [Fact]
    public async Task Updates_of_one_dedup_key_reference_the_same_thread_so_mail_clients_thread_them()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestAlerts.Seen);
        await using var smtp = await SmtpSink.StartOnFreePortAsync();
        await using var host = await AlertsHost.StartAsync(EmailConfig(smtp), time);

        await host.PublishAsync(TestAlerts.BruteForce("203.0.113.9"));
        await Eventually.TrueAsync(() => smtp.Messages.Count == 1, "the first email");
        await host.PublishAsync(TestAlerts.BruteForce("203.0.113.9"));
        await Eventually.TrueAsync(() => host.Stats.Snapshot("").SuppressedByDedup == 1, "the repeat folded in");
        time.Advance(TimeSpan.FromMinutes(10));
        await Eventually.TrueAsync(() => smtp.Messages.Count == 2, "the update email");

        var (first, update) = (smtp.Messages[0], smtp.Messages[1]);
        Assert.NotEqual(first.MessageId, update.MessageId);
        Assert.Equal(first.References.Single(), update.References.Single());
        Assert.Equal(first.References.Single(), update.InReplyTo);
        Assert.Contains("Seen 2 times so far", update.TextBody);
    }

    [Fact]
    public async Task With_the_SMTP_server_down_for_a_while_the_email_arrives_once_it_is_up()
    {
        await using var smtp = SmtpSink.OnFreePort();
        await using var host = await AlertsHost.StartAsync(EmailConfig(smtp));

        await host.PublishAsync(TestAlerts.BruteForce());
        await Eventually.TrueAsync(() => host.Stats.For("email").Retried >= 2, "two failed attempts while the server is down");
        await smtp.StartAsync();
        await Eventually.TrueAsync(() => smtp.Messages.Count == 1, "the email once the server is up");
        await Task.Delay(1500);

        Assert.Single(smtp.Messages);
        Assert.Equal(1, host.Stats.For("email").Sent);
    }

    [Fact]
    public async Task Slack_being_down_does_not_delay_email()
    {
        await using var slack = await HttpReceiver.StartAsync();
        slack.Respond = _ => (503, null);
        await using var smtp = await SmtpSink.StartOnFreePortAsync();
        var config = EmailConfig(smtp);
        config["Alerts:Slack:WebhookUrl"] = slack.BaseUrl + "/hook";
        config["Alerts:Delivery:FirstRetryDelay"] = "00:00:30";
        config["Alerts:Delivery:MaxRetryDelay"] = "00:01:00";
        await using var host = await AlertsHost.StartAsync(config);

        await host.PublishAsync(TestAlerts.BruteForce());
        await Eventually.TrueAsync(() => smtp.Messages.Count == 1, "the email while Slack is down");

        Assert.Empty(slack.Accepted);
        Assert.Single(slack.Requests);
        Assert.Equal(1, host.Stats.For("slack").Retried);
    }
}
