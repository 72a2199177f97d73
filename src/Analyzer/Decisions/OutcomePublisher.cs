using Analytics.Detection.Decisions;
using Analytics.Messaging;
using Microsoft.Extensions.Logging;

namespace Analytics.Analyzer.Decisions;

/// <summary>Publishes a decision (keyed <c>scope:value</c>) and then its alert (keyed by dedup key, with its Kibana link when configured), and remembers decisions for the expiry sweep.</summary>
internal sealed class OutcomePublisher(IStreamTransport transport, DecisionLedger ledger, Search.SearchLinks links, ILogger<OutcomePublisher> logger)
{
    private readonly IStreamProducer<Decision> _decisions = transport.GetProducer(Streams.Decisions);
    private readonly IStreamProducer<Alert> _alerts = transport.GetProducer(Streams.Alerts);

    public async Task PublishAsync(AnalyzerOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Decision is { } d)
        {
            await _decisions.PublishAsync(d.Key, d, cancellationToken);
            ledger.Add(d);
            Log.DecisionMade(logger, d.Id, d.Action, d.Scope, d.Value, outcome.Detector, d.Expires, d.Simulated);
        }
        else
        {
            Log.AlertOnly(logger, outcome.Alert.Type, outcome.Alert.Entity);
        }

        // With Search:KibanaUrl set, the alert links to Discover on its entity and window.
        var alert = links.Decorate(outcome.Alert);
        await _alerts.PublishAsync(alert.DedupKey, alert, cancellationToken);
    }
}
