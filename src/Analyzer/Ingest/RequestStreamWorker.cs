using Analytics.Analyzer.Decisions;
using Analytics.Detection;
using Analytics.Detection.Decisions;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Ingest;

/// <summary>
/// Consumes the requests stream in the analyzer's consumer group, runs every event through the
/// pipeline and publishes decisions and alerts, on one thread of its own. The event is committed
/// once they are acknowledged, in read order, without the loop waiting for them: at-least-once, so
/// a crash re-reads what was not yet acted upon. With two stages it judges client IPs only and
/// re-keys the event into <see cref="Streams.RequestsByEntity"/> for every other entity; the
/// event is committed once those copies are acknowledged too.
/// </summary>
internal sealed class RequestStreamWorker(
    IStreamTransport transport,
    AnalyzerPipeline pipeline,
    AnalyzerStages stages,
    OutcomeEffects effects,
    IngestMetrics ingest,
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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        LoopThread.Start("analyzer-requests", Run, stoppingToken);

    private void Run(CancellationToken stoppingToken)
    {
        using var consumer = _consumer!;
        Log.Started(logger, Streams.Requests.Name, options.Value.ConsumerGroup, pipeline.Detectors.Count);
        var outcomes = new List<AnalyzerOutcome>();
        var scopes = stages.FirstStageScopes;
        var rekeyed = stages.TwoStages ? transport.GetProducer(Streams.RequestsByEntity) : null;
        var keys = new List<string>();
        var commits = new InOrderCommits<RequestEvent>(consumer);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // A quiet stream still commits what was acknowledged meanwhile.
                if (consumer.Read(QuietAfter, stoppingToken) is not { } message)
                {
                    commits.CommitSettled();
                    continue;
                }

                commits.Add(message, message.Value is { } e ? Process(e, message.Offset, outcomes, scopes, rekeyed, keys) : null);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            commits.Drain(StopGrace);
        }
    }

    // The event's effects in flight: its decisions and alerts, and with two stages its copies for the second.
    private Task? Process(RequestEvent e, long offset, List<AnalyzerOutcome> outcomes, int scopes, IStreamProducer<RequestEvent>? rekeyed, List<string> keys)
    {
        outcomes.Clear();
        keys.Clear();
        try
        {
            lock (pipeline)
            {
                pipeline.Process(e, outcomes, scopes);
                if (rekeyed is not null)
                {
                    pipeline.Store.EntityKeys(e, stages.RekeyedScopes, keys);
                }
            }
        }
        catch (Exception ex)
        {
            // A bug on one event must not stop analysis; the event is committed and counted.
            Log.ProcessingFailed(logger, offset, ex);
            ingest.Failed("first");
        }

        var published = effects.Publish(outcomes);
        if (rekeyed is null || keys.Count == 0)
        {
            return published;
        }

        // Copies are produced without waiting one by one; the event is committed once they are acknowledged.
        var copies = new Task[keys.Count + (published is null ? 0 : 1)];
        for (var i = 0; i < keys.Count; i++)
        {
            copies[i] = rekeyed.PublishAsync(keys[i], e, CancellationToken.None);
        }

        if (published is not null)
        {
            copies[^1] = published;
        }

        return Task.WhenAll(copies);
    }

    // How long a read waits before the loop looks at acknowledgements that came in meanwhile.
    private static readonly TimeSpan QuietAfter = TimeSpan.FromMilliseconds(100);

    // On stop, how long acknowledgements still in flight are waited for before their events are left to be read again.
    internal static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
}
