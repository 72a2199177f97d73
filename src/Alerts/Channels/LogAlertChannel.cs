using Analytics.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Channels;

/// <summary>Writes each alert as one structured log line.</summary>
internal sealed partial class LogAlertChannel(IOptions<AlertsOptions> options, ILogger<LogAlertChannel> logger) : IAlertChannel
{
    private readonly LogChannelOptions _options = options.Value.Log;

    public string Name => "log";

    public bool Accepts(Alert alert) =>
        _options.Enabled && AlertSeverities.Rank(alert.Severity) >= AlertSeverities.Rank(_options.MinSeverity);

    public Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        LogAlert(logger, alert.Severity, alert.Type, alert.Entity, alert.Title, alert.Summary, alert.DecisionId, alert.Simulated);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "ALERT [{Severity}] {Type} {Entity}: {Title} — {Summary} (decision {DecisionId}, simulated {Simulated})")]
    private static partial void LogAlert(ILogger logger, string severity, string type, string entity, string title, string summary, string? decisionId, bool simulated);
}
