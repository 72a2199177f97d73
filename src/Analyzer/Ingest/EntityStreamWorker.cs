using Analytics.Analyzer.Decisions;
using Analytics.Detection.Decisions;
using Analytics.Detection.Features;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Ingest;

/// <summary>
/// The second stage of a scaled-out analyzer: reads <see cref="Streams.RequestsByEntity"/>, where
/// each message is a request event keyed <c>scope:key</c> by the entity it is for, and judges that
/// one entity. Every event of a principal, range, login target, route or fingerprint lands in one
/// partition, so its windows are whole in one instance however many run. At-least-once on a thread of
/// its own, like the first stage.
/// </summary>
internal sealed class EntityStreamWorker(
    IStreamTransport transport,
    AnalyzerStages stages,
    OutcomeEffects effects,
    IngestMetrics ingest,
    IOptions<AnalyzerOptions> options,
    [FromKeyedServices(AnalyzerConsumers.RequestsByEntity)] ConsumerAssignment assignment,
    ILogger<EntityStreamWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        stages.TwoStages ? LoopThread.Start("analyzer-entities", Run, stoppingToken) : Task.CompletedTask;

    private void Run(CancellationToken stoppingToken)
    {
        var pipeline = stages.EntityPipeline;
        var group = options.Value.ConsumerGroup + ".by-entity";
        using var consumer = transport.CreateGroupConsumer(Streams.RequestsByEntity, group, assignment.Track(new ConsumerCallbacks
        {
            PartitionsAssigned = partitions => Log.PartitionsAssigned(logger, partitions.Count, Streams.RequestsByEntity.Name),
            PartitionsRevoked = partitions => Log.StagePartitionsRevoked(logger, partitions.Count, Streams.RequestsByEntity.Name, pipeline.Store.Clear()),
        }));
        Log.Started(logger, Streams.RequestsByEntity.Name, group, pipeline.Detectors.Count);
        var outcomes = new List<AnalyzerOutcome>();
        var commits = new InOrderCommits<RequestEvent>(consumer);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (consumer.Read(QuietAfter, stoppingToken) is not { } message)
                {
                    commits.CommitSettled();
                    continue;
                }

                Task? published = null;
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

                    published = effects.Publish(outcomes);
                }

                commits.Add(message, published);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            commits.Drain(RequestStreamWorker.StopGrace);
        }
    }

    private static readonly TimeSpan QuietAfter = TimeSpan.FromMilliseconds(100);
}
