using System.Text.Json;
using Analytics.Alerts.Channels;
using Analytics.Alerts.Tests.Support;
using Analytics.Messaging;

namespace Analytics.Alerts.Tests.Channels;

public sealed class WebhookChannelTests
{
    private const string Secret = "webhook-signing-secret-for-tests";

    [Fact]
    public async Task The_webhook_gets_the_Alert_contract_signed_with_HMAC_over_timestamp_and_body()
    {
        await using var receiver = await HttpReceiver.StartAsync();
        await using var host = await AlertsHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:Webhook:Url"] = receiver.BaseUrl + "/alerts",
            ["Alerts:Webhook:Secret"] = Secret,
        });
        var alert = TestAlerts.BruteForce("203.0.113.9", id: "alert-42");

        await host.PublishAsync(alert);
        await Eventually.TrueAsync(() => receiver.Accepted.Count == 1, "one webhook post");

        var post = receiver.Accepted[0];
        var timestamp = post.Headers[WebhookSignature.TimestampHeader];
        var signature = post.Headers[WebhookSignature.SignatureHeader];
        Assert.StartsWith("sha256=", signature);
        Assert.True(WebhookSignature.Verify(Secret, timestamp, signature, post.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("a-different-secret-of-some-length", timestamp, signature, post.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, timestamp, signature, [.. post.Body, (byte)' '], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        // A captured delivery replayed later is refused by its timestamp.
        Assert.False(WebhookSignature.Verify(Secret, timestamp, signature, post.Body, DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromMinutes(5)));

        Assert.Equal("alert", post.Headers[WebhookSignature.KindHeader]);
        var received = JsonSerializer.Deserialize(post.Body, MessagesJsonContext.Default.Alert)!;
        Assert.Equal("alert-42", received.Id);
        Assert.Equal("ip:203.0.113.9", received.Entity);
        Assert.Equal(alert.DecisionId, received.DecisionId);
    }
}
