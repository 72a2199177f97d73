using System.Net.Http.Headers;
using Analytics.Alerts.Routing;
using Analytics.Alerts.Templates;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Channels;

/// <summary>Slack incoming webhook: one Block Kit message per notification; 429 <c>Retry-After</c> is honoured by the retry filter.</summary>
internal sealed class SlackChannel(IOptions<AlertsOptions> options, IHttpClientFactory httpClients) : IAlertChannel
{
    public const string HttpClientName = "alerts-slack";

    private readonly SlackOptions _options = options.Value.Slack;

    public string Name => "slack";

    public bool Enabled => !string.IsNullOrWhiteSpace(_options.WebhookUrl);

    public RouteChannel Route => new(Name, _options.MinSeverity, _options.MaxPerHour);

    public Task SendAsync(Notification notification, NotificationView view, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(SlackTemplate.Render(view));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return HttpDelivery.PostAsync(httpClients.CreateClient(HttpClientName), Name, _options.WebhookUrl!, content, cancellationToken);
    }
}
