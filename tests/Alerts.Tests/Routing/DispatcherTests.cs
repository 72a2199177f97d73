using System.Text.Json;
using Analytics.Alerts.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Alerts.Tests.Routing;

/// <summary>Dedup and grouping end to end: stream, router, Hangfire jobs, a real Slack listener; the windows run on a fake clock.</summary>
public sealed class DispatcherTests
{
    [Fact]
    public async Task A_thousand_alerts_with_one_key_within_the_window_give_one_message_and_one_update_that_says_1000()
    {
        var time = new FakeTimeProvider(TestAlerts.Seen);
        await using var slack = await HttpReceiver.StartAsync();
        await using var host = await AlertsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Slack:WebhookUrl"] = slack.BaseUrl + "/hook",
            ["Alerts:Routing:GroupWait"] = "00:00:10",
        }, time);

        for (var i = 0; i < 500; i++)
        {
            await host.PublishAsync(TestAlerts.BruteForce());
        }

        await Eventually.TrueAsync(() => host.Stats.Snapshot("").Received == 500, "the first 500 read");
        time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => slack.Accepted.Count == 1, "the first message");
        for (var i = 0; i < 500; i++)
        {
            await host.PublishAsync(TestAlerts.BruteForce());
        }

        await Eventually.TrueAsync(() => host.Stats.Snapshot("").Received == 1000, "all 1,000 read");
        time.Advance(TimeSpan.FromMinutes(10));
        await Eventually.TrueAsync(() => slack.Accepted.Count == 2, "the update");
        time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(500);

        Assert.Equal(2, slack.Accepted.Count);
        Assert.Contains("*Count*\n500", SlackText.Of(slack.Accepted[0]));
        Assert.Contains("*Count*\n1,000", SlackText.Of(slack.Accepted[1]));
        Assert.Contains("HIGH · brute_force · update", SlackText.Of(slack.Accepted[1]));
        // The first alert opened the message; the other 999 were folded into it and its update.
        Assert.Equal(999, host.Stats.Snapshot("").SuppressedByDedup);
    }

    [Fact]
    public async Task A_burst_of_200_brute_forces_for_different_addresses_gives_one_digest_listing_the_top_entities()
    {
        var time = new FakeTimeProvider(TestAlerts.Seen);
        await using var slack = await HttpReceiver.StartAsync();
        await using var host = await AlertsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Slack:WebhookUrl"] = slack.BaseUrl + "/hook",
            ["Alerts:Routing:GroupWait"] = "00:00:30",
        }, time);

        for (var i = 0; i < 200; i++)
        {
            await host.PublishAsync(TestAlerts.BruteForce($"198.51.{i / 100}.{i % 100}") with { Count = i + 1 });
        }

        await Eventually.TrueAsync(() => host.Stats.Snapshot("").Received == 200, "the burst read");
        Assert.Empty(slack.Requests);
        time.Advance(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => slack.Accepted.Count == 1, "the digest");
        await Task.Delay(500);

        Assert.Single(slack.Requests);
        var text = SlackText.Of(slack.Accepted[0]);
        Assert.Contains("20,100 brute_force alerts from 200 entities", text);
        Assert.Contains("ip:198.51.1.99", text);
        Assert.Contains("… and 190 more", text);
        using var json = JsonDocument.Parse(slack.Accepted[0].Body);
        Assert.Contains("digest", json.RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_hourly_cap_holds_and_its_summary_is_sent_when_the_hour_ends()
    {
        var time = new FakeTimeProvider(TestAlerts.Seen);
        await using var slack = await HttpReceiver.StartAsync();
        await using var hook = await HttpReceiver.StartAsync();
        await using var host = await AlertsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Slack:WebhookUrl"] = slack.BaseUrl + "/hook",
            ["Alerts:Slack:MaxPerHour"] = "2",
            ["Alerts:Webhook:Url"] = hook.BaseUrl + "/in",
            ["Alerts:Webhook:Secret"] = "webhook-signing-secret-for-tests",
        }, time);

        string[] types = ["brute_force", "scanning", "enumeration", "injection", "flood"];
        foreach (var type in types)
        {
            await host.PublishAsync(TestAlerts.BruteForce("192.0.2.7") with { Type = type, DedupKey = type + ":ip:192.0.2.7" });
        }

        await Eventually.TrueAsync(() => hook.Accepted.Count == 5, "every alert on the uncapped webhook");
        await Task.Delay(500);
        Assert.Equal(2, slack.Accepted.Count);
        Assert.Equal(3, host.Stats.For("slack").HeldByCap);

        time.Advance(TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => slack.Accepted.Count == 3, "the summary of what the cap held back");

        var summary = SlackText.Of(slack.Accepted[2]);
        Assert.Contains("3 messages (3 alerts) were held back", summary);
        Assert.Contains("ip:192.0.2.7", summary);
        Assert.Equal(5, hook.Accepted.Count);
    }
}
