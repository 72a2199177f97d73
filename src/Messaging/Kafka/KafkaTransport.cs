using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Analytics.ServiceDefaults.Hosting;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Messaging.Kafka;

/// <summary>
/// Streams over Kafka. One librdkafka producer per process serves every stream (and the
/// dead-letter topic); each consumer has its own librdkafka consumer.
/// </summary>
internal sealed class KafkaTransport : IStreamTransport, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, IKafkaStreamProducer> _producers = new(StringComparer.Ordinal);
    private readonly Lazy<IProducer<string?, byte[]?>> _producer;
    private readonly ConcurrentDictionary<string, long> _lastErrorLog = new(StringComparer.Ordinal);
    private readonly ITimer _dropLogTimer;
    private int _disposed;
    private volatile bool _producerClosed;
    private Task? _ensureTopics;

    public KafkaTransport(IOptions<StreamsOptions> options, ILoggerFactory loggerFactory, IMeterFactory? meterFactory = null, TimeProvider? time = null)
        : this(options.Value.Kafka, loggerFactory, meterFactory, time)
    {
    }

    internal KafkaTransport(KafkaStreamsOptions options, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, TimeProvider? time = null)
    {
        Options = options;
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Analytics.Messaging.Kafka");
        Metrics = new KafkaMetrics(meterFactory, () => _producers.Values.Select(p => (p.StreamName, p.Buffered)));
        Time = time ?? TimeProvider.System;
        _producer = new Lazy<IProducer<string?, byte[]?>>(BuildProducer, LazyThreadSafetyMode.ExecutionAndPublication);
        var interval = TimeSpan.FromSeconds(options.DropLogIntervalSeconds);
        _dropLogTimer = Time.CreateTimer(_ => LogDrops(), null, interval, interval);
        KafkaLog.Started(Logger, options.BootstrapServers, options.SecurityProtocol ?? "Plaintext",
            options.Topics.Requests, options.Topics.Decisions, options.Topics.Alerts, options.Topics.DeadLetter);
    }

    public string Name => "kafka";

    internal KafkaStreamsOptions Options { get; }
    internal ILogger Logger { get; }
    internal KafkaMetrics Metrics { get; }
    internal TimeProvider Time { get; }

    /// <summary>The process-wide librdkafka producer, built on first use.</summary>
    internal IProducer<string?, byte[]?> Producer
    {
        get
        {
            // Stays usable while disposal drains the buffers into it.
            ObjectDisposedException.ThrowIf(_producerClosed, this);
            return _producer.Value;
        }
    }

    public IStreamProducer<T> GetProducer<T>(StreamDescriptor<T> stream) where T : class => ProducerFor(stream);

    internal KafkaStreamProducer<T> ProducerFor<T>(StreamDescriptor<T> stream) where T : class =>
        (KafkaStreamProducer<T>)_producers.GetOrAdd(stream.Name,
            _ => new KafkaStreamProducer<T>(this, stream, KafkaClientSettings.TopicFor(Options, stream), Options.RequestsBufferCapacity));

    public IStreamConsumer<T> CreateGroupConsumer<T>(StreamDescriptor<T> stream, string group, ConsumerCallbacks? callbacks = null) where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        return new KafkaGroupConsumer<T>(this, stream, KafkaClientSettings.TopicFor(Options, stream), group, callbacks);
    }

    public IStreamConsumer<T> CreateReplayConsumer<T>(StreamDescriptor<T> stream) where T : class =>
        new KafkaReplayConsumer<T>(this, stream, KafkaClientSettings.TopicFor(Options, stream));

    /// <summary>Produces the refused message, as it was read, to the dead-letter topic with the reason and its origin in headers.</summary>
    public async Task DeadLetterAsync<T>(StreamDescriptor<T> stream, StreamMessage<T> message, string reason, CancellationToken cancellationToken) where T : class
    {
        var topic = KafkaClientSettings.TopicFor(Options, stream);
        var headers = new Headers
        {
            { DeadLetterHeaders.Error, System.Text.Encoding.UTF8.GetBytes(reason) },
            { DeadLetterHeaders.ErrorType, "refused"u8.ToArray() },
            { DeadLetterHeaders.SourceTopic, System.Text.Encoding.UTF8.GetBytes(topic) },
            { DeadLetterHeaders.SourcePartition, System.Text.Encoding.UTF8.GetBytes(message.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.SourceOffset, System.Text.Encoding.UTF8.GetBytes(message.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
        };
        await Producer.ProduceAsync(Options.Topics.DeadLetter, new Message<string?, byte[]?>
        {
            Key = message.Key,
            Value = message.Value is null ? null : MessageSchema.Serialize(message.Value, stream),
            Headers = headers,
        }, cancellationToken);
        Metrics.DeadLettered(stream.Name);
        KafkaLog.DeadLettered(Logger, topic, message.Partition, message.Offset, Options.Topics.DeadLetter, reason);
    }

    /// <summary>
    /// Builds the producer (so librdkafka rejects bad properties at start-up, not on the first
    /// event) and starts the requests drain loop. Connecting stays in the background.
    /// </summary>
    internal void Start()
    {
        try
        {
            _ = Producer;
        }
        catch (Exception ex) when (ex is ArgumentException or KafkaException or InvalidOperationException)
        {
            throw new InvalidConfigurationException($"{KafkaClientSettings.SectionPath}: librdkafka refused the client configuration: {ex.Message}");
        }

        ProducerFor(Streams.Requests).StartDrain();
    }

    /// <summary>Creates missing topics once per process (see <see cref="KafkaTopics"/>); later calls return the same task.</summary>
    internal Task EnsureTopicsAsync(CancellationToken cancellationToken, TimeSpan? requestTimeout = null)
    {
        var task = new Task<Task>(() => KafkaTopics.EnsureAsync(this, cancellationToken, requestTimeout));
        if (Interlocked.CompareExchange(ref _ensureTopics, task.Unwrap(), null) is { } existing)
        {
            return existing;
        }

        task.Start(TaskScheduler.Default);
        return _ensureTopics;
    }

    /// <summary>
    /// The topic's partitions from the brokers' metadata. Asked through the producer's handle so
    /// a broker that auto-creates topics creates a missing one; waits (with back-off) until it exists.
    /// </summary>
    internal async Task<IReadOnlyList<int>> WaitForPartitionsAsync(string topic, CancellationToken cancellationToken)
    {
        // Let topic creation go first: metadata through the producer may auto-create the topic,
        // and an auto-created decisions topic would not be compacted.
        if (Volatile.Read(ref _ensureTopics) is { } ensuring)
        {
            try
            {
                await ensuring.WaitAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Creation failed or was abandoned; it has said so. Read whatever exists.
            }
        }

        var delay = TimeSpan.FromMilliseconds(100);
        var warned = false;
        while (true)
        {
            string reason;
            try
            {
                using var admin = new DependentAdminClientBuilder(Producer.Handle).Build();
                var metadata = admin.GetMetadata(topic, MetadataTimeout);
                var entry = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
                if (entry is { Error.IsError: false, Partitions.Count: > 0 })
                {
                    return [.. entry.Partitions.Select(p => p.PartitionId).Order()];
                }

                reason = entry is null ? "topic not in metadata" : $"topic not ready ({entry.Error.Code})";
            }
            catch (KafkaException ex)
            {
                reason = $"metadata unavailable ({ex.Error.Code})";
            }

            if (!warned)
            {
                KafkaLog.ReplayWaiting(Logger, topic, reason);
                warned = true;
            }

            await Task.Delay(delay, Time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>librdkafka log lines go to the logger at debug level; errors also arrive through the error handlers.</summary>
    internal void OnLibrdkafkaLog<TClient>(TClient client, LogMessage message) =>
        KafkaLog.Librdkafka(Logger, message.Facility, (int)message.Level, message.Name, message.Message);

    /// <summary>Logs a client error, at most once per drop-log interval per client and code, so a broker outage does not flood the log.</summary>
    internal void ReportClientError(string client, Error error)
    {
        // Fatal errors are throttled too: a fatal producer fails every later produce call the same way.
        var key = client + "/" + error.Code + (error.IsFatal ? "/fatal" : "");
        var now = Time.GetTimestamp();
        var last = _lastErrorLog.GetOrAdd(key, 0);
        if (last != 0 && Time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(Options.DropLogIntervalSeconds))
        {
            return;
        }

        if (!_lastErrorLog.TryUpdate(key, now, last))
        {
            return;
        }

        if (error.IsFatal)
        {
            KafkaLog.FatalError(Logger, client, error.Code.ToString(), error.Reason);
        }
        else
        {
            KafkaLog.ClientError(Logger, client, error.Code.ToString(), error.Reason);
        }
    }

    /// <summary>Stops accepting, drains the buffers into librdkafka and flushes, all within the flush timeout.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _dropLogTimer.DisposeAsync();
        var deadline = Time.GetUtcNow() + TimeSpan.FromSeconds(Options.FlushTimeoutSeconds);
        await Task.WhenAll(_producers.Values.Select(p => p.StopAsync(deadline, Time)));
        if (_producer.IsValueCreated)
        {
            var producer = _producer.Value;
            var remaining = deadline - Time.GetUtcNow();
            var left = await Task.Run(() => producer.Flush(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero));
            if (left > 0)
            {
                KafkaLog.FlushTimedOut(Logger, Options.FlushTimeoutSeconds, left);
            }

            _producerClosed = true;
            producer.Dispose();
        }

        foreach (var producer in _producers.Values)
        {
            producer.CountUndelivered();
        }

        LogDrops();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private IProducer<string?, byte[]?> BuildProducer() =>
        new ProducerBuilder<string?, byte[]?>(KafkaClientSettings.Producer(Options))
            .SetKeySerializer(Serializers.Utf8)
            .SetValueSerializer(Serializers.ByteArray)
            .SetErrorHandler((_, error) => ReportClientError("producer", error))
            .SetLogHandler(OnLibrdkafkaLog)
            .Build();

    private void LogDrops()
    {
        foreach (var producer in _producers.Values)
        {
            var count = producer.TakeDropsSinceLastLog();
            if (count > 0)
            {
                KafkaLog.Dropped(Logger, producer.StreamName, count, Options.DropLogIntervalSeconds, producer.Dropped, producer.Buffered);
            }
        }
    }
}
