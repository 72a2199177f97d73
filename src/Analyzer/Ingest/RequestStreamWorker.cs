using Analytics.Analyzer.Decisions;
using Analytics.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Ingest;

/// <summary>
/// Consumes the requests stream in the analyzer's consumer group, runs every event through the
/// pipeline and publishes decisions and alerts before committing the event: at-least-once, so
/// a crash re-reads what was not yet acted upon.
/// </summary>
internal sealed class RequestStreamWorker(
    IStreamTransport transport,
    AnalyzerPipeline pipeline,
    OutcomePublisher publisher,
    AnalyzerMetrics metrics,
    IOptions<AnalyzerOptions> options,
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
        _consumer = transport.CreateGroupConsumer(Streams.Requests, options.Value.ConsumerGroup, new ConsumerCallbacks
        {
            PartitionsRevoked = partitions => Log.PartitionsRevoked(logger, partitions.Count, pipeline.Store.Clear()),
        });
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Yield so host start-up is not held up by the read loop.
        await Task.Yield();
        using var consumer = _consumer!;
        Log.Started(logger, Streams.Requests.Name, options.Value.ConsumerGroup, pipeline.Detectors.Count);
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

            if (message.Value is { } e)
            {
                outcomes.Clear();
                try
                {
                    lock (pipeline)
                    {
                        pipeline.Process(e, outcomes);
                    }
                }
                catch (Exception ex)
                {
                    // A bug on one event must not stop analysis; the event is committed and counted.
                    Log.ProcessingFailed(logger, message.Offset, ex);
                }

                metrics.Event();
                foreach (var outcome in outcomes)
                {
                    await publisher.PublishAsync(outcome, stoppingToken);
                    metrics.Published(outcome);
                }
            }

            consumer.Commit(message);
        }
    }
}
