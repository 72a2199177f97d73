using Analytics.Messaging;

namespace Analytics.Alerts.Channels;

/// <summary>Somewhere alerts go (log, Slack, email, webhook). Throwing means "not delivered; try again".</summary>
public interface IAlertChannel
{
    /// <summary>Short name for logs and stats.</summary>
    string Name { get; }

    /// <summary>Whether this channel wants an alert of this severity.</summary>
    bool Accepts(Alert alert);

    Task SendAsync(Alert alert, CancellationToken cancellationToken);
}
