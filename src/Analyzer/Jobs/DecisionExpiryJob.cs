using Analytics.Analyzer.Decisions;
using Analytics.Detection.Decisions;
using Analytics.Messaging;
using Microsoft.Extensions.Logging;

namespace Analytics.Analyzer.Jobs;

/// <summary>Publishes tombstones for decisions past their expiry, so the compacted decisions stream forgets them.</summary>
internal sealed class DecisionExpiryJob(DecisionLedger ledger, IStreamTransport transport, TimeProvider time, ILogger<DecisionExpiryJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var producer = transport.GetProducer(Streams.Decisions);
        var expired = ledger.TakeExpired(time.GetUtcNow());
        foreach (var d in expired)
        {
            await producer.PublishAsync(d.Key, null, cancellationToken);
        }

        if (expired.Count > 0)
        {
            Log.ExpirySweep(logger, expired.Count);
        }

        return expired.Count;
    }
}
