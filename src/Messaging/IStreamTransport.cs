namespace Analytics.Messaging;

/// <summary>
/// The one API services use for the three streams. Implemented by the in-process transport
/// (bounded channels, one process) and the Kafka transport.
/// </summary>
public interface IStreamTransport
{
    /// <summary>Short name for logs and /stats: <c>in-process</c> or <c>kafka</c>.</summary>
    string Name { get; }

    /// <summary>The process-wide producer for a stream (one per stream and process).</summary>
    IStreamProducer<T> GetProducer<T>(StreamDescriptor<T> stream) where T : class;

    /// <summary>
    /// A consumer in a consumer group with at-least-once delivery: a message counts as
    /// processed only after <see cref="IStreamConsumer{T}.Commit"/>; what was not committed
    /// is delivered again to the group's next consumer.
    /// </summary>
    IStreamConsumer<T> CreateGroupConsumer<T>(StreamDescriptor<T> stream, string group, ConsumerCallbacks? callbacks = null) where T : class;

    /// <summary>
    /// A consumer outside any group that reads the whole stream from the beginning and then
    /// follows it (how a sidecar rebuilds its decisions). <see cref="IStreamConsumer{T}.CaughtUp"/>
    /// completes once everything present at start has been delivered.
    /// </summary>
    IStreamConsumer<T> CreateReplayConsumer<T>(StreamDescriptor<T> stream) where T : class;

    /// <summary>
    /// Sets aside a message that was read and decoded but refused by its consumer (an invalid or
    /// unsigned decision), with the reason: Kafka's dead-letter topic with the usual headers, or
    /// <c>deadletter.jsonl</c> beside the in-process transport's data files. A transport that keeps
    /// nothing (in-process without a data directory) only lets the caller count and log it.
    /// </summary>
    Task DeadLetterAsync<T>(StreamDescriptor<T> stream, StreamMessage<T> message, string reason, CancellationToken cancellationToken) where T : class =>
        Task.CompletedTask;
}

/// <summary>Publishes messages to one stream.</summary>
public interface IStreamProducer<T> where T : class
{
    /// <summary>
    /// Hands the message to the transport's bounded buffer without waiting. Returns false when
    /// the buffer is full; the message is then dropped and counted in <see cref="Dropped"/>.
    /// For the request path, which must never wait.
    /// </summary>
    bool TryPublish(string key, T message);

    /// <summary>
    /// Publishes and completes once the transport has accepted the message durably
    /// (Kafka: acknowledged by all in-sync replicas). A null message is a tombstone.
    /// </summary>
    Task PublishAsync(string key, T? message, CancellationToken cancellationToken = default);

    /// <summary>Messages dropped by <see cref="TryPublish"/> since start.</summary>
    long Dropped { get; }

    /// <summary>Messages accepted by the transport since start.</summary>
    long Published { get; }
}

/// <summary>One message read from a stream. <see cref="Value"/> is null for a tombstone.</summary>
public sealed record StreamMessage<T>(string Key, T? Value, int Partition, long Offset, DateTimeOffset Timestamp) where T : class;

/// <summary>Reads one stream. Not thread-safe: one reader loop per consumer.</summary>
public interface IStreamConsumer<T> : IDisposable where T : class
{
    /// <summary>Waits for the next message. Poison messages never surface here: the transport dead-letters them and reads on.</summary>
    ValueTask<StreamMessage<T>> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Blocks the calling thread until the next message, or returns null once <paramref name="timeout"/>
    /// passes without one. For a reader loop that owns a dedicated thread: consuming, decoding and the
    /// work then stay on that thread instead of hopping to the thread pool for every message.
    /// </summary>
    StreamMessage<T>? Read(TimeSpan timeout, CancellationToken cancellationToken) => BlockingRead.Wait(this, timeout, cancellationToken);

    /// <summary>Marks this message, and every earlier one of its partition, as processed.</summary>
    void Commit(StreamMessage<T> message);

    /// <summary>For replay consumers: completes when the stream has been read up to where it stood at start.</summary>
    Task CaughtUp { get; }
}

/// <summary>Partition assignment hooks for group consumers, so per-partition state can be flushed or dropped on a rebalance.</summary>
public sealed class ConsumerCallbacks
{
    public Action<IReadOnlyList<int>>? PartitionsAssigned { get; init; }
    public Action<IReadOnlyList<int>>? PartitionsRevoked { get; init; }
}
