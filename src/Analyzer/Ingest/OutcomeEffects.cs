using Analytics.Analyzer.Decisions;
using Analytics.Detection.Decisions;

namespace Analytics.Analyzer.Ingest;

/// <summary>
/// Starts publishing an event's outcomes without waiting for the brokers, and counts each detection
/// and decision once it is acknowledged (as before, only what was published is counted).
/// </summary>
internal sealed class OutcomeEffects(OutcomePublisher publisher, Decisions.DetectionMetrics detections, DecisionMetrics decisions)
{
    /// <summary>The acknowledgement of every outcome in <paramref name="outcomes"/>, or null when there are none.</summary>
    public Task? Publish(List<AnalyzerOutcome> outcomes)
    {
        switch (outcomes.Count)
        {
            case 0:
                return null;
            case 1:
                return PublishAndCountAsync(outcomes[0]);
            default:
                var all = new Task[outcomes.Count];
                for (var i = 0; i < all.Length; i++)
                {
                    all[i] = PublishAndCountAsync(outcomes[i]);
                }

                return Task.WhenAll(all);
        }
    }

    // The produce call runs here, on the read loop, in event order; the rest runs when the broker answers.
    // Not cancelled on stop: a decision already handed to the producer is waited for, then committed.
    private async Task PublishAndCountAsync(AnalyzerOutcome outcome)
    {
        await publisher.PublishAsync(outcome, CancellationToken.None);
        detections.Detected(outcome);
        decisions.Published(outcome.Decision);
    }
}
