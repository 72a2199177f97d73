using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Analytics.Alerts.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Alerts.Tests;

public sealed class StatsEndpointTests
{
    [Fact]
    public async Task Stats_show_outcomes_per_channel_behind_the_admin_token()
    {
        await using var slack = await HttpReceiver.StartAsync();
        slack.Respond = attempt => (attempt == 1 ? 500 : 200, null);
        await using var host = await AlertsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Slack:WebhookUrl"] = slack.BaseUrl + "/hook",
            ["Alerts:Slack:MinSeverity"] = "high",
        });

        await host.PublishAsync(TestAlerts.BruteForce("192.0.2.1"));
        await host.PublishAsync(TestAlerts.BruteForce("192.0.2.1"));
        await host.PublishAsync(TestAlerts.BruteForce("192.0.2.2", severity: "low") with { Type = "scanning" });
        await Eventually.TrueAsync(() => host.Stats.For("slack").Sent == 1, "the message sent");

        using var anonymous = new HttpClient { BaseAddress = new Uri(host.AdminUrl) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/alerts/stats")).StatusCode);
        using var admin = host.AdminClient();
        using var json = JsonDocument.Parse(await admin.GetStringAsync("/alerts/stats"));
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("received").GetInt64());
        Assert.Equal(1, root.GetProperty("suppressed_by_dedup").GetInt64());
        Assert.Equal("in-memory", root.GetProperty("storage").GetString());
        var slackStats = root.GetProperty("channels").GetProperty("slack");
        Assert.Equal(1, slackStats.GetProperty("enqueued").GetInt64());
        Assert.Equal(1, slackStats.GetProperty("retried").GetInt64());
        Assert.Equal(1, slackStats.GetProperty("sent").GetInt64());
        Assert.Equal(0, slackStats.GetProperty("failed").GetInt64());
        Assert.Equal(1, slackStats.GetProperty("below_severity").GetInt64());

        // The meter reports the very counts the endpoint does.
        var measured = Measure(host.Services.GetRequiredService<IMeterFactory>());
        Assert.Equal(3, measured["analytics.alerts.received"]);
        Assert.Equal(1, measured["analytics.alerts.suppressed"]);
        Assert.Equal(1, measured["analytics.alerts.deliveries|channel=slack|outcome=sent"]);
        Assert.Equal(1, measured["analytics.alerts.deliveries|channel=slack|outcome=retried"]);
        Assert.Equal(1, measured["analytics.alerts.deliveries|channel=slack|outcome=below_severity"]);
    }

    /// <summary>Every analytics.alerts.* value of this host's meters, by instrument name and tags.</summary>
    private static Dictionary<string, long> Measure(IMeterFactory factory)
    {
        var measured = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name.StartsWith("analytics.alerts.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measured[instrument.Name + string.Concat(tags.ToArray().Select(t => $"|{t.Key}={t.Value}"))] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }
}
