using System.Globalization;
using System.Net.Http.Headers;
using Analytics.Alerts.Routing;
using Analytics.Alerts.Templates;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Channels;

/// <summary>A generic webhook: the Alert contract (or a digest) as JSON, signed with HMAC-SHA256 over timestamp and body.</summary>
internal sealed class WebhookChannel(IOptions<AlertsOptions> options, IHttpClientFactory httpClients, TimeProvider time) : IAlertChannel
{
    public const string HttpClientName = "alerts-webhook";

    private readonly WebhookOptions _options = options.Value.Webhook;

    public string Name => "webhook";

    public bool Enabled => !string.IsNullOrWhiteSpace(_options.Url);

    public RouteChannel Route => new(Name, _options.MinSeverity, _options.MaxPerHour);

    public Task SendAsync(Notification notification, NotificationView view, CancellationToken cancellationToken)
    {
        var body = WebhookTemplate.Render(notification);
        // Signed at each attempt: a retry carries a fresh timestamp, so receivers' replay windows stay short.
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        content.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        content.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(_options.Secret!, timestamp, body));
        content.Headers.Add(WebhookSignature.KindHeader, WebhookTemplate.Kind(notification));
        content.Headers.Add(WebhookSignature.DeliveryHeader, notification.Id);
        return HttpDelivery.PostAsync(httpClients.CreateClient(HttpClientName), Name, _options.Url!, content, cancellationToken);
    }
}
