using Analytics.Alerts.Routing;
using Analytics.Alerts.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Channels;

/// <summary>Writes each notification as one structured log line.</summary>
internal sealed partial class LogAlertChannel(IOptions<AlertsOptions> options, ILogger<LogAlertChannel> logger) : IAlertChannel
{
    private readonly LogChannelOptions _options = options.Value.Log;

    public string Name => "log";

    public bool Enabled => _options.Enabled;

    public RouteChannel Route => new(Name, _options.MinSeverity, _options.MaxPerHour);

    public Task SendAsync(Notification notification, NotificationView view, CancellationToken cancellationToken)
    {
        var alert = notification.Alert;
        LogAlert(logger, view.Headline, view.Title, alert?.Entity ?? "-", notification.AlertCount, alert?.DecisionId, view.Label is not null, notification.Id);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "ALERT [{Headline}] {Title} — entity {Entity}, count {Count}, decision {DecisionId}, simulated {Simulated} ({NotificationId})")]
    private static partial void LogAlert(ILogger logger, string headline, string title, string entity, long count, string? decisionId, bool simulated, string notificationId);
}
