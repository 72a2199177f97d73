using Analytics.Detection.Decisions;
using Analytics.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Decisions;

/// <summary>
/// Publishes a decision (keyed <c>scope:value</c>), checked by the shared <see cref="DecisionValidator"/>
/// and signed with <c>Analyzer:Decisions:SigningKey</c>, and then its alert (keyed by dedup key, with
/// its Kibana link when configured), and remembers decisions for the expiry sweep.
/// </summary>
internal sealed class OutcomePublisher(IStreamTransport transport, DecisionLedger ledger, Search.SearchLinks links, IOptions<AnalyzerOptions> options,
    TimeProvider time, ILogger<OutcomePublisher> logger)
{
    private readonly IStreamProducer<Decision> _decisions = transport.GetProducer(Streams.Decisions);
    private readonly IStreamProducer<Alert> _alerts = transport.GetProducer(Streams.Alerts);
    private readonly DecisionValidator _validator = new(new DecisionRules { SigningKey = options.Value.Decisions.SigningKey }, time);

    public async Task PublishAsync(AnalyzerOutcome outcome, CancellationToken cancellationToken)
    {
        using var activity = DecisionTracing.Start(outcome);
        if (outcome.Decision is { } made)
        {
            // The sidecars would refuse (and dead-letter) it: better not to publish it at all.
            if (_validator.Validate(made, checkSignature: false) is { } refusal)
            {
                Log.DecisionRefused(logger, made.Id, made.Scope, refusal);
                DecisionTracing.Refused(activity, refusal);
            }
            else
            {
                var d = _validator.Sign(made);
                await _decisions.PublishAsync(d.Key, d, cancellationToken);
                ledger.Add(d);
                Log.DecisionMade(logger, d.Id, d.Action, d.Scope, d.Value, outcome.Detector, d.Expires, d.Simulated);
            }
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
