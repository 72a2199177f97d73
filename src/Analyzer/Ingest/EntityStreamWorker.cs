using Analytics.Analyzer.Decisions;
using Analytics.Detection.Decisions;
using Analytics.Detection.Features;
using Analytics.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Ingest;

/// <summary>
/// The second stage of a scaled-out analyzer: reads <see cref="Streams.RequestsByEntity"/>, where
/// each message is a request event keyed <c>scope:key</c> by the entity it is for, and judges that
/// one entity. Every event of a principal, range, login target, route or fingerprint lands in one
/// partition, so its windows are whole in one instance however many run. At-least-once, like the first stage.
/// </summary>
internal sealed class EntityStreamWorker(
    IStreamTransport transport,
    AnalyzerStages stages,
    OutcomePublisher publisher,
    IngestMetrics ingest,
    Decisions.DetectionMetrics detections,
    DecisionMetrics decisions,
    IOptions<AnalyzerOptions> options,
    [FromKeyedServices(AnalyzerConsumers.RequestsByEntity)] ConsumerAssignment assignment,
    ILogger<EntityStreamWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!stages.TwoStages)
        {
            return;
        }

        await Task.Yield();
        var pipeline = stages.EntityPipeline;
        var group = options.Value.ConsumerGroup + ".by-entity";
        using var consumer = transport.CreateGroupConsumer(Streams.RequestsByEntity, group, assignment.Track(new ConsumerCallbacks
        {
            PartitionsAssigned = partitions => Log.PartitionsAssigned(logger, partitions.Count, Streams.RequestsByEntity.Name),
            PartitionsRevoked = partitions => Log.StagePartitionsRevoked(logger, partitions.Count, Streams.RequestsByEntity.Name, pipeline.Store.Clear()),
        }));
        Log.Started(logger, Streams.RequestsByEntity.Name, group, pipeline.Detectors.Count);
        var outcomes = new List<AnalyzerOutcome>();
        while (!stoppingToken.IsCancellationRequested)
        {
            StreamMessage<RequestEvent> message;
            try
            {
                message = await consumer.ReadAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            var colon = message.Key.IndexOf(':', StringComparison.Ordinal);
            if (message.Value is { } e && colon > 0 && EntityScopes.Parse(message.Key.AsSpan(0, colon)) is { } scope)
            {
                outcomes.Clear();
                try
                {
                    lock (pipeline)
                    {
                        pipeline.Process(e, outcomes, 1 << (int)scope);
                    }
                }
                catch (Exception ex)
                {
                    Log.ProcessingFailed(logger, message.Offset, ex);
                    ingest.Failed("entity");
                }

                foreach (var outcome in outcomes)
                {
                    await publisher.PublishAsync(outcome, stoppingToken);
                    detections.Detected(outcome);
                    decisions.Published(outcome.Decision);
                }
            }

            consumer.Commit(message);
        }
    }
}
