using System.Diagnostics;
using Analytics.Alerts.Jobs;
using Analytics.Alerts.Tests.Support;
using Analytics.Messaging;

namespace Analytics.Alerts.Tests.Jobs;

/// <summary>
/// The alerts service's delivery spans over the real pipeline (alerts topic on librdkafka's mock
/// cluster, the dispatcher, Hangfire, the webhook channel): one span per attempt, the failed one
/// marked as an error, each linked to the trace of the request behind the alert.
/// </summary>
public sealed class DeliveryTracingTests
{
    [Fact]
    public async Task Each_delivery_attempt_has_a_span_linked_to_the_alerts_trace()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var spans = new RecordedSpans(DeliveryTracing.SourceName);

        using var cluster = new MockKafkaCluster();
        var kafka = cluster.Options("alerts-trace");
        await cluster.CreateTopicsAsync(kafka);
        await using var receiver = await HttpReceiver.StartAsync();
        receiver.Respond = attempt => (attempt == 1 ? 500 : 200, null);
        var config = MockKafkaCluster.Settings(kafka);
        config["Alerts:Webhook:Url"] = receiver.BaseUrl + "/alerts";
        config["Alerts:Webhook:Secret"] = "webhook-signing-secret-for-tests";
        await using var host = await AlertsHost.StartAsync(config);
        var alert = TestAlerts.BruteForce("192.0.2.77");
        alert = alert with { Evidence = alert.Evidence! with { TraceId = traceId } };

        await host.PublishAsync(alert);
        await Eventually.TrueAsync(() => receiver.Accepted.Count == 1, "the webhook accepted the second attempt", seconds: 60);
        await Eventually.TrueAsync(() => Attempts(spans, alert).Count == 2, "two delivery spans");

        var attempts = Attempts(spans, alert);
        Assert.Equal(["failed", "sent"], attempts.Select(a => a.GetTagItem("analytics.delivery.outcome") as string));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.All(attempts, a =>
        {
            Assert.Equal("webhook", a.GetTagItem("analytics.channel"));
            Assert.Equal(AlertTypes.BruteForce, a.GetTagItem("analytics.alert.type"));
            Assert.Equal(traceId, Assert.Single(a.Links).Context.TraceId.ToHexString());
            Assert.DoesNotContain(a.TagObjects, t => t.Value?.ToString()?.Contains(receiver.BaseUrl, StringComparison.Ordinal) == true);
        });
    }

    private static List<Activity> Attempts(RecordedSpans spans, Alert alert) =>
        [.. spans.Stopped.Where(a => Equals(a.GetTagItem("analytics.decision.id"), alert.DecisionId)).OrderBy(a => a.StartTimeUtc)];
}
