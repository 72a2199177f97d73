using Analytics.Alerts.Tests.Support;

namespace Analytics.Alerts.Tests.Jobs;

/// <summary>Delivery on Hangfire.PostgreSql for real: faults, and a restart between consuming and delivering.</summary>
public sealed class PostgresDeliveryTests
{
    [PostgresFact]
    public async Task On_PostgreSQL_Slack_answering_500_three_times_then_200_gets_exactly_one_message()
    {
        await using var schema = new PostgresSchema();
        await using var slack = await HttpReceiver.StartAsync();
        slack.Respond = attempt => (attempt <= 3 ? 500 : 200, null);
        var config = schema.Config();
        config["Alerts:Slack:WebhookUrl"] = slack.BaseUrl + "/hook";
        await using var host = await AlertsHost.StartAsync(config);

        await host.PublishAsync(TestAlerts.BruteForce());
        await Eventually.TrueAsync(() => slack.Accepted.Count == 1, "the fourth attempt accepted", seconds: 60);
        await Task.Delay(1500);

        Assert.Equal(4, slack.Requests.Count);
        Assert.Single(slack.Accepted);
        Assert.Equal(3, host.Stats.For("slack").Retried);
        Assert.Equal("postgresql", host.Stats.Snapshot("postgresql").Storage);
    }

    [PostgresFact]
    public async Task An_alert_consumed_before_the_service_stopped_is_delivered_once_after_the_restart()
    {
        await using var schema = new PostgresSchema();
        using var kafka = new MockKafkaCluster();
        var topics = kafka.Options("alerts-restart");
        await using var slack = await HttpReceiver.StartAsync();
        slack.Respond = _ => (503, null);
        var config = schema.Config();
        config["Alerts:Slack:WebhookUrl"] = slack.BaseUrl + "/hook";
        config["Alerts:Delivery:FirstRetryDelay"] = "00:00:02";
        config["Alerts:Delivery:MaxRetryDelay"] = "00:00:04";
        config["Streams:Transport"] = "Kafka";
        config["Streams:Kafka:BootstrapServers"] = topics.BootstrapServers;
        config["Streams:Kafka:Topics:Requests"] = topics.Topics.Requests;
        config["Streams:Kafka:Topics:Decisions"] = topics.Topics.Decisions;
        config["Streams:Kafka:Topics:Alerts"] = topics.Topics.Alerts;
        config["Streams:Kafka:Topics:DeadLetter"] = topics.Topics.DeadLetter;
        config["Streams:Kafka:EnsureTopics"] = "false";
        config["Streams:Kafka:LingerMs"] = "5";
        config["Streams:Kafka:Librdkafka:session.timeout.ms"] = "6000";
        var alert = TestAlerts.BruteForce("203.0.113.77", id: "restart-1");

        await using (var first = await AlertsHost.StartAsync(config))
        {
            // At-least-once upstream: the same alert arrives twice.
            await first.PublishAsync(alert);
            await first.PublishAsync(alert);
            await Eventually.TrueAsync(() => first.Stats.Snapshot("").Received == 2 && first.Stats.For("slack").Retried >= 1,
                "both consumed and a delivery attempted", seconds: 60);
        }

        var attemptsBeforeRestart = slack.Requests.Count;
        Assert.Empty(slack.Accepted);
        slack.Respond = _ => (200, null);

        await using var second = await AlertsHost.StartAsync(config);
        await Eventually.TrueAsync(() => slack.Accepted.Count == 1, "the alert delivered after the restart", seconds: 60);
        await Task.Delay(3000);

        Assert.Single(slack.Accepted);
        Assert.True(slack.Requests.Count > attemptsBeforeRestart);
        Assert.Contains("ip:203.0.113.77", SlackText.Of(slack.Accepted[0]));
    }
}
