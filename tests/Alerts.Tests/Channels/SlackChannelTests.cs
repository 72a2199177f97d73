using System.Text.Json;
using Analytics.Alerts.Tests.Support;
using Xunit.Abstractions;

namespace Analytics.Alerts.Tests.Channels;

public sealed class SlackChannelTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_brute_force_becomes_one_Block_Kit_message_with_entity_evidence_decision_Kibana_link_and_lift_command()
    {
        await using var slack = await HttpReceiver.StartAsync();
        await using var host = await AlertsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Slack:WebhookUrl"] = slack.BaseUrl + "/services/T000/B000/s3cr3t",
            ["Alerts:KibanaUrl"] = "http://kibana.example:5601",
        });

        await host.PublishAsync(TestAlerts.BruteForce("203.0.113.9", simulated: true));
        await Eventually.TrueAsync(() => slack.Accepted.Count == 1, "one Slack message");

        var request = slack.Accepted[0];
        output.WriteLine(request.Text);
        Assert.Equal("/services/T000/B000/s3cr3t", request.Path);
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        using var json = JsonDocument.Parse(request.Body);
        var blocks = json.RootElement.GetProperty("blocks").EnumerateArray().ToList();
        var header = blocks[0];
        Assert.Equal("header", header.GetProperty("type").GetString());
        Assert.Contains("HIGH · brute_force", header.GetProperty("text").GetProperty("text").GetString());
        Assert.All(blocks, b => Assert.Contains(b.GetProperty("type").GetString(), new[] { "header", "section", "context", "actions" }));

        var text = SlackText.Of(request);
        Assert.Contains("ip:203.0.113.9", text);
        Assert.Contains("login_failures = 42 (threshold 20)", text);
        Assert.Contains("Would have blocked", text);
        Assert.Contains("curl -X DELETE", text);
        Assert.Contains("/decisions/dec-203-0-113-9", text);

        var button = blocks.Single(b => b.GetProperty("type").GetString() == "actions").GetProperty("elements")[0];
        var kibana = button.GetProperty("url").GetString()!;
        Assert.StartsWith("http://kibana.example:5601/app/discover#/", kibana);
        Assert.Contains(Uri.EscapeDataString("source.ip:\"203.0.113.9\""), kibana);
        Assert.Contains("ip:203.0.113.9", json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Slack_answering_500_three_times_then_200_gets_exactly_one_message()
    {
        await using var slack = await HttpReceiver.StartAsync();
        slack.Respond = attempt => (attempt <= 3 ? 500 : 200, null);
        await using var host = await AlertsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Slack:WebhookUrl"] = slack.BaseUrl + "/hook",
        });

        await host.PublishAsync(TestAlerts.BruteForce());
        await Eventually.TrueAsync(() => slack.Accepted.Count == 1, "the fourth attempt accepted");
        // Long enough for a duplicate to show up if the job ran again after succeeding.
        await Task.Delay(1500);

        Assert.Equal(4, slack.Requests.Count);
        Assert.Single(slack.Accepted);
        var stats = host.Stats.For("slack");
        Assert.Equal(3, stats.Retried);
        Assert.Equal(1, stats.Sent);
        Assert.Equal(0, stats.Failed);
    }

    [Fact]
    public async Task Slack_answering_429_with_Retry_After_2_is_retried_no_sooner_than_2_seconds_later()
    {
        await using var slack = await HttpReceiver.StartAsync();
        slack.Respond = attempt => attempt == 1 ? (429, 2) : (200, null);
        await using var host = await AlertsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Slack:WebhookUrl"] = slack.BaseUrl + "/hook",
        });

        await host.PublishAsync(TestAlerts.BruteForce());
        await Eventually.TrueAsync(() => slack.Accepted.Count == 1, "the retry accepted");

        var requests = slack.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ArrivedAt - requests[0].ArrivedAt >= TimeSpan.FromSeconds(2),
            $"second attempt {(requests[1].ArrivedAt - requests[0].ArrivedAt).TotalMilliseconds} ms after the first");
    }
}
