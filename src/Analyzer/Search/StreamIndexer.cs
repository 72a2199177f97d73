using System.Diagnostics;
using Analytics.Messaging;
using Analytics.Search.Ecs;
using Analytics.Search.Indexing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Analyzer.Search;

/// <summary>
/// Reads one stream in the <c>search</c> consumer group, maps each message to its ECS document and
/// stores them in batches (full, or after the flush interval). The sink retries inside, so the
/// loop does not read on while a batch is being stored (back-pressure), and offsets are committed
/// only once the batch is stored: an outage delays indexing and loses nothing.
/// </summary>
internal sealed class StreamIndexer<T>(
    StreamDescriptor<T> stream,
    Func<StreamMessage<T>, EcsDocument> map,
    IStreamTransport transport,
    IDocumentSink sink,
    SearchOptions options,
    SearchMetrics metrics,
    TimeProvider time,
    ConsumerAssignment assignment,
    ILogger logger) : BackgroundService where T : class
{
    private readonly List<EcsDocument> _batch = new(options.BatchSize);
    private readonly Dictionary<int, StreamMessage<T>> _lastByPartition = new();
    private long _batchStarted;

    private IStreamConsumer<T>? _consumer;

    /// <summary>
    /// Joins the group while the host starts, after the services registered before it (the
    /// analyzer's worker): in one process the first group to join keeps what was published before
    /// any group existed, and that must stay the analyzer.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _consumer = transport.CreateGroupConsumer(stream, options.ConsumerGroup, assignment.Track());
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var consumer = _consumer!;
        SearchLog.Started(logger, stream.Name, options.ConsumerGroup, sink is CompositeSink c ? string.Join(" + ", c.Sinks.Select(s => s.GetType().Name)) : sink.GetType().Name);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var message = await ReadAsync(consumer, stoppingToken);
                if (message is not null)
                {
                    Add(message);
                }

                var due = _lastByPartition.Count > 0
                    && (message is null || _batch.Count >= options.BatchSize || time.GetElapsedTime(_batchStarted) >= options.FlushInterval);
                if (due)
                {
                    await FlushAsync(consumer, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        if (_lastByPartition.Count > 0)
        {
            // One last try at shutdown; what does not make it is read again after the restart.
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            try
            {
                await FlushAsync(consumer, grace.Token);
            }
            catch (OperationCanceledException)
            {
                SearchLog.StoppedWithPending(logger, stream.Name, _batch.Count);
            }
        }
    }

    /// <summary>The next message, or null when the open batch's flush interval ran out first.</summary>
    private async Task<StreamMessage<T>?> ReadAsync(IStreamConsumer<T> consumer, CancellationToken stoppingToken)
    {
        if (_lastByPartition.Count == 0)
        {
            return await consumer.ReadAsync(stoppingToken);
        }

        var remaining = options.FlushInterval - time.GetElapsedTime(_batchStarted);
        if (remaining <= TimeSpan.Zero)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(remaining);
        try
        {
            return await consumer.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void Add(StreamMessage<T> message)
    {
        if (_lastByPartition.Count == 0)
        {
            _batchStarted = time.GetTimestamp();
        }

        _lastByPartition[message.Partition] = message;
        try
        {
            _batch.Add(map(message));
        }
        catch (Exception ex)
        {
            // A message the mapping cannot handle is a bug to see, not a reason to stop indexing.
            metrics.MappingFailed(stream.Name);
            SearchLog.MappingFailed(logger, stream.Name, message.Offset, ex);
        }
    }

    private async Task FlushAsync(IStreamConsumer<T> consumer, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (_batch.Count > 0)
        {
            await sink.WriteAsync(_batch, cancellationToken);
        }

        foreach (var last in _lastByPartition.Values)
        {
            consumer.Commit(last);
        }

        metrics.Stored(stream.Name, _batch.Count, Stopwatch.GetElapsedTime(started));
        _batch.Clear();
        _lastByPartition.Clear();
    }
}
