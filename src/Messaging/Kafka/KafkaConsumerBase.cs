using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Analytics.Messaging.Kafka;

/// <summary>
/// The read loop shared by group and replay consumers: consume without blocking a thread-pool
/// thread longer than needed, decode, and move poison messages to the dead-letter topic.
/// </summary>
internal abstract class KafkaConsumerBase<T> : IStreamConsumer<T> where T : class
{
    private readonly CancellationTokenSource _disposing = new();
    private Task? _pendingConsume;
    // Longest single wait inside Read, so that a stop request is noticed promptly.
    private const int WaitSliceMs = 100;
    private Error? _fatal;
    private int _disposed;
    private int _reading;

    protected KafkaConsumerBase(KafkaTransport transport, StreamDescriptor<T> stream, string topic, string clientName)
    {
        Transport = transport;
        Stream = stream;
        Topic = topic;
        ClientName = clientName;
    }

    protected KafkaTransport Transport { get; }
    protected StreamDescriptor<T> Stream { get; }
    protected string Topic { get; }
    protected string ClientName { get; }
    protected abstract IConsumer<string?, byte[]?> Consumer { get; }
    protected CancellationToken Disposing => _disposing.Token;
    protected bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// True once the blocking <see cref="Read"/> is used: its reader comes back at least every wait
    /// slice, and calls <see cref="OnIdle"/> whenever nothing is waiting, so work can be deferred to then.
    /// </summary>
    protected bool ReadsInSlices { get; private set; }

    public abstract Task CaughtUp { get; }

    public async ValueTask<StreamMessage<T>> ReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        await BeforeReadAsync(cancellationToken);
        while (true)
        {
            ThrowIfFatal();
            var result = TryConsume(TimeSpan.Zero);
            if (result is null)
            {
                OnIdle();
                result = await ConsumeAsync(cancellationToken);
            }

            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                OnPartitionEof(result.Partition.Value, result.Offset.Value);
                continue;
            }

            var message = await DecodeAsync(result, cancellationToken);
            OnConsumed(result.Partition.Value, result.Offset.Value);
            if (message is not null)
            {
                return message;
            }
        }
    }

    /// <summary>
    /// The blocking read for a loop on its own thread: librdkafka's Consume waits on this thread, so
    /// nothing is handed to the thread pool (no thread per wait, no worker woken per message). The
    /// wait is cut into short slices so that cancellation and disposal are seen within one.
    /// </summary>
    public StreamMessage<T>? Read(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("A stream consumer has one reader at a time.");
        }

        ReadsInSlices = true;
        try
        {
            var before = BeforeReadAsync(cancellationToken);
            if (!before.IsCompletedSuccessfully)
            {
                before.AsTask().GetAwaiter().GetResult();
            }

            var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (true)
            {
                ThrowIfFatal();
                cancellationToken.ThrowIfCancellationRequested();
                ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
                var left = deadline - Environment.TickCount64;
                var result = TryConsume(TimeSpan.FromMilliseconds(Math.Clamp(left, 0, WaitSliceMs)));
                if (result is null)
                {
                    OnIdle();
                    if (left <= 0)
                    {
                        return null;
                    }

                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    OnPartitionEof(result.Partition.Value, result.Offset.Value);
                    continue;
                }

                var decoding = DecodeAsync(result, cancellationToken);
                var message = decoding.IsCompletedSuccessfully ? decoding.Result : decoding.AsTask().GetAwaiter().GetResult();
                OnConsumed(result.Partition.Value, result.Offset.Value);
                if (message is not null)
                {
                    return message;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    public abstract void Commit(StreamMessage<T> message);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _disposing.Cancel();
        try
        {
            // A Consume still running on another thread must finish before Close.
            _pendingConsume?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // It was cancelled; that is what we asked for.
        }

        // A blocking Read on its own thread sees the cancellation within one wait slice; Close must not run under it.
        var waited = Environment.TickCount64;
        while (Volatile.Read(ref _reading) != 0 && Environment.TickCount64 - waited < 10_000)
        {
            Thread.Sleep(1);
        }

        OnDisposing();
        try
        {
            Consumer.Close();
        }
        catch (KafkaException ex)
        {
            Transport.ReportClientError(ClientName, ex.Error);
        }

        Consumer.Dispose();
        _disposing.Dispose();
    }

    protected virtual ValueTask BeforeReadAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    protected virtual void OnPartitionEof(int partition, long offset)
    {
    }

    protected virtual void OnConsumed(int partition, long offset)
    {
    }

    /// <summary>Called on the reading thread whenever nothing is waiting to be read.</summary>
    protected virtual void OnIdle()
    {
    }

    /// <summary>Called for a poison message once it is dead-lettered, so it is not read again.</summary>
    protected virtual void SkipPoison(ConsumeResult<string?, byte[]?> result)
    {
    }

    protected virtual void OnDisposing()
    {
    }

    /// <summary>Error handler for the consumer builder: remembers fatal errors so the read loop stops.</summary>
    protected void OnError(IConsumer<string?, byte[]?> consumer, Error error)
    {
        if (error.IsFatal)
        {
            _fatal = error;
        }

        Transport.ReportClientError(ClientName, error);
    }

    private void ThrowIfFatal()
    {
        if (_fatal is { } fatal)
        {
            throw new KafkaException(fatal);
        }
    }

    private ConsumeResult<string?, byte[]?>? TryConsume(TimeSpan timeout)
    {
        try
        {
            return Consumer.Consume(timeout);
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            Transport.ReportClientError(ClientName, ex.Error);
            return null;
        }
        catch (ConsumeException ex)
        {
            _fatal = ex.Error;
            throw;
        }
    }

    // librdkafka's Consume blocks until a message comes, which on a quiet stream (the sidecar's
    // decisions) is forever: on a dedicated thread, not a thread-pool worker. A process limited to
    // one core has a pool minimum of one worker; a worker parked here left the requests waiting
    // for the pool's starvation detector, which adds a thread only every ~500 ms (the p99 stalls
    // of issue 11).
    private async Task<ConsumeResult<string?, byte[]?>?> ConsumeAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var token = linked.Token;
        var task = Task.Factory.StartNew(() =>
        {
            try
            {
                return Consumer.Consume(token);
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                Transport.ReportClientError(ClientName, ex.Error);
                return null;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _pendingConsume = task;
        try
        {
            return await task;
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(GetType().Name);
        }
        catch (ConsumeException ex)
        {
            _fatal = ex.Error;
            throw;
        }
    }

    private async ValueTask<StreamMessage<T>?> DecodeAsync(ConsumeResult<string?, byte[]?> result, CancellationToken cancellationToken)
    {
        var raw = result.Message;
        var timestamp = new DateTimeOffset(raw.Timestamp.UtcDateTime, TimeSpan.Zero);
        if (raw.Value is null)
        {
            return new StreamMessage<T>(raw.Key ?? "", null, result.Partition.Value, result.Offset.Value, timestamp);
        }

        try
        {
            var value = MessageSchema.Deserialize(raw.Value, Stream);
            return new StreamMessage<T>(raw.Key ?? "", value, result.Partition.Value, result.Offset.Value, timestamp);
        }
        catch (JsonException ex)
        {
            await DeadLetterAsync(result, ex, cancellationToken);
        }
        catch (NotSupportedException ex)
        {
            await DeadLetterAsync(result, ex, cancellationToken);
        }

        SkipPoison(result);
        return null;
    }

    private async Task DeadLetterAsync(ConsumeResult<string?, byte[]?> result, Exception error, CancellationToken cancellationToken)
    {
        var deadLetterTopic = Transport.Options.Topics.DeadLetter;
        // The exception message describes the JSON position, never the payload itself.
        var reason = error.Message.Length > 500 ? error.Message[..500] : error.Message;
        var headers = new Headers
        {
            { DeadLetterHeaders.Error, Encoding.UTF8.GetBytes(reason) },
            { DeadLetterHeaders.ErrorType, Encoding.UTF8.GetBytes(error.GetType().Name) },
            { DeadLetterHeaders.SourceTopic, Encoding.UTF8.GetBytes(result.Topic) },
            { DeadLetterHeaders.SourcePartition, Encoding.UTF8.GetBytes(result.Partition.Value.ToString(CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.SourceOffset, Encoding.UTF8.GetBytes(result.Offset.Value.ToString(CultureInfo.InvariantCulture)) },
        };
        if (result.Message.Headers is { } original)
        {
            foreach (var header in original)
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        try
        {
            await Transport.Producer.ProduceAsync(deadLetterTopic, new Message<string?, byte[]?>
            {
                Key = result.Message.Key,
                Value = result.Message.Value,
                Headers = headers,
            }, cancellationToken);
            Transport.Metrics.DeadLettered(Stream.Name);
            KafkaLog.DeadLettered(Transport.Logger, result.Topic, result.Partition.Value, result.Offset.Value, deadLetterTopic, reason);
        }
        catch (KafkaException ex)
        {
            KafkaLog.DeadLetterFailed(Transport.Logger, ex, result.Topic, result.Partition.Value, result.Offset.Value);
        }
    }
}

/// <summary>Header names on dead-lettered messages.</summary>
public static class DeadLetterHeaders
{
    public const string Error = "dlq.error";
    public const string ErrorType = "dlq.error.type";
    public const string SourceTopic = "dlq.source.topic";
    public const string SourcePartition = "dlq.source.partition";
    public const string SourceOffset = "dlq.source.offset";
}
