using Analytics.Analyzer.Decisions;
using Analytics.Detection;
using Analytics.Detection.Decisions;
using Analytics.Messaging;

namespace Analytics.Analyzer.Jobs;

/// <summary>Publishes one <c>report</c> alert a day: events analysed, decisions in force by source, and the model in use.</summary>
internal sealed class DailySummaryJob(AnalyzerPipeline pipeline, DecisionLedger ledger, Detection.Model.ModelHolder model, IStreamTransport transport, TimeProvider time)
{
    public async Task<Alert> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var inForce = ledger.Snapshot().Where(d => !d.IsExpired(now)).ToList();
        var features = new Dictionary<string, double>
        {
            ["events"] = pipeline.Events,
            ["decisions_in_force"] = inForce.Count,
            ["tracked_entities"] = pipeline.Store.TrackedEntities,
            ["late_events"] = pipeline.Store.LateEvents,
            ["decisions_capped"] = pipeline.Decisions.Capped,
            ["suppressed_by_allowlist"] = pipeline.Decisions.Suppressed,
        };
        foreach (var g in inForce.GroupBy(d => d.Source))
        {
            features["in_force:" + g.Key] = g.Count();
        }

        var alert = new Alert
        {
            Id = Guid.CreateVersion7(now).ToString(),
            DedupKey = $"report:analyzer:{now:yyyy-MM-dd}",
            Type = AlertTypes.Report,
            Severity = AlertSeverities.Info,
            Entity = "analyzer",
            Title = $"Analyzer daily summary {now:yyyy-MM-dd}",
            Summary = $"{pipeline.Events} events analysed, {inForce.Count} decisions in force, model {model.Current?.Card.Name ?? "none"}.",
            Evidence = new Evidence { Window = "1d", WindowStart = now.AddDays(-1), WindowEnd = now, Features = features },
            FirstSeen = now.AddDays(-1),
            LastSeen = now,
        };
        await transport.GetProducer(Streams.Alerts).PublishAsync(alert.DedupKey, alert, cancellationToken);
        return alert;
    }
}
