using Analytics.Messaging;
using Microsoft.Extensions.Logging;

namespace Analytics.Analyzer.Decisions;

/// <summary>Publishes a decision (keyed <c>scope:value</c>) and then its alert (keyed by dedup key), and remembers decisions for the expiry sweep.</summary>
internal sealed class OutcomePublisher(IStreamTransport transport, DecisionLedger ledger, ILogger<OutcomePublisher> logger)
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

        await _alerts.PublishAsync(outcome.Alert.DedupKey, outcome.Alert, cancellationToken);
    }
}
