using Analytics.Analyzer.Decisions;
using Analytics.Detection;
using Analytics.Detection.Decisions;
using Analytics.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Ingest;

/// <summary>
/// Consumes the requests stream in the analyzer's consumer group, runs every event through the
/// pipeline and publishes decisions and alerts before committing the event: at-least-once, so
/// a crash re-reads what was not yet acted upon. With two stages it judges client IPs only and
/// re-keys the event into <see cref="Streams.RequestsByEntity"/> for every other entity; the
/// event is committed once those copies are acknowledged, in read order.
/// </summary>
internal sealed class RequestStreamWorker(
    IStreamTransport transport,
    AnalyzerPipeline pipeline,
    AnalyzerStages stages,
    OutcomePublisher publisher,
    IngestMetrics ingest,
    Decisions.DetectionMetrics detections,
    DecisionMetrics decisions,
    IOptions<AnalyzerOptions> options,
    [FromKeyedServices(AnalyzerConsumers.Requests)] ConsumerAssignment assignment,
    ILogger<RequestStreamWorker> logger) : BackgroundService
{
    private IStreamConsumer<RequestEvent>? _consumer;

    /// <summary>
    /// Joins the group while the host starts, in registration order (ExecuteAsync runs on its own
    /// task): in one process the first group to join keeps what was published before it, and the
    /// analyzer must be that group, ahead of other readers of the requests stream (the search indexer).
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Partition callbacks run inside ReadAsync, between two events, so the store is never touched concurrently.
        _consumer = transport.CreateGroupConsumer(Streams.Requests, options.Value.ConsumerGroup, assignment.Track(new ConsumerCallbacks
        {
            PartitionsAssigned = partitions => Log.PartitionsAssigned(logger, partitions.Count, Streams.Requests.Name),
            PartitionsRevoked = partitions => Log.PartitionsRevoked(logger, partitions.Count, pipeline.Store.Clear()),
        }));
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Yield so host start-up is not held up by the read loop.
        await Task.Yield();
        using var consumer = _consumer!;
        Log.Started(logger, Streams.Requests.Name, options.Value.ConsumerGroup, pipeline.Detectors.Count);
        var outcomes = new List<AnalyzerOutcome>();
        var scopes = stages.FirstStageScopes;
        var rekeyed = stages.TwoStages ? transport.GetProducer(Streams.RequestsByEntity) : null;
        var keys = new List<string>();
        var pending = new Queue<(StreamMessage<RequestEvent> Message, Task Rekeyed)>();
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

            if (message.Value is { } e)
            {
                outcomes.Clear();
                try
                {
                    lock (pipeline)
                    {
                        pipeline.Process(e, outcomes, scopes);
                        if (rekeyed is not null)
                        {
                            keys.Clear();
                            pipeline.Store.EntityKeys(e, stages.RekeyedScopes, keys);
                        }
                    }
                }
                catch (Exception ex)
                {
                    // A bug on one event must not stop analysis; the event is committed and counted.
                    Log.ProcessingFailed(logger, message.Offset, ex);
                    ingest.Failed("first");
                }

                foreach (var outcome in outcomes)
                {
                    await publisher.PublishAsync(outcome, stoppingToken);
                    detections.Detected(outcome);
                    decisions.Published(outcome.Decision);
                }

                if (rekeyed is not null && keys.Count > 0)
                {
                    // Copies are produced without waiting one by one; the event is committed once they are acknowledged.
                    var copies = new Task[keys.Count];
                    for (var i = 0; i < keys.Count; i++)
                    {
                        copies[i] = rekeyed.PublishAsync(keys[i], e, stoppingToken);
                    }

                    pending.Enqueue((message, Task.WhenAll(copies)));
                    await CommitAcknowledgedAsync(consumer, pending);
                    continue;
                }
            }

            if (pending.Count > 0)
            {
                // Offsets are committed in read order: this event waits for the copies of earlier ones.
                pending.Enqueue((message, Task.CompletedTask));
                await CommitAcknowledgedAsync(consumer, pending);
            }
            else
            {
                consumer.Commit(message);
            }
        }
    }

    private const int MaxPending = 10_000;

    private static async Task CommitAcknowledgedAsync(IStreamConsumer<RequestEvent> consumer, Queue<(StreamMessage<RequestEvent> Message, Task Rekeyed)> pending)
    {
        while (pending.Count > 0 && (pending.Peek().Rekeyed.IsCompleted || pending.Count > MaxPending))
        {
            var (message, rekeyed) = pending.Dequeue();
            // A failed copy fails the worker before its event is committed: the event is read again.
            await rekeyed;
            consumer.Commit(message);
        }
    }
}
