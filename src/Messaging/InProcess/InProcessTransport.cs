using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Analytics.Messaging.InProcess;

/// <summary>
/// Streams as bounded in-memory channels for one process. Each consumer group gets its own
/// channel (fan-out); compacted streams also keep the latest message per key so replay
/// consumers can rebuild state. Everything lives and dies with the process.
/// </summary>
internal sealed class InProcessTransport : IStreamTransport
{
    private readonly ConcurrentDictionary<string, object> _streams = new();
    private readonly int _capacity;
    private readonly string? _dataDirectory;
    private readonly Lock _deadLetterGate = new();

    public InProcessTransport(IOptions<StreamsOptions> options, IMeterFactory? meterFactory = null)
        : this(options.Value.InProcess.Capacity, options.Value.InProcess.DataDirectory)
    {
        meterFactory?.Create(Kafka.KafkaMetrics.MeterName).CreateObservableGauge("analytics.streams.consumer.lag", ObserveLag, "{message}",
            "Messages waiting in each consumer group's in-process queue");
    }

    internal InProcessTransport(int capacity, string? dataDirectory = null)
    {
        _capacity = capacity;
        _dataDirectory = dataDirectory;
    }

    public string Name => "in-process";

    public IStreamProducer<T> GetProducer<T>(StreamDescriptor<T> stream) where T : class => Stream(stream);

    public IStreamConsumer<T> CreateGroupConsumer<T>(StreamDescriptor<T> stream, string group, ConsumerCallbacks? callbacks = null) where T : class
    {
        var consumer = Stream(stream).JoinGroup(group);
        callbacks?.PartitionsAssigned?.Invoke([0]);
        return consumer;
    }

    public IStreamConsumer<T> CreateReplayConsumer<T>(StreamDescriptor<T> stream) where T : class => Stream(stream).Replay();

    /// <summary>Appends <c>{"stream","key","reason","value"}</c> to <c>deadletter.jsonl</c> in the data directory; without one, keeps nothing.</summary>
    public Task DeadLetterAsync<T>(StreamDescriptor<T> stream, StreamMessage<T> message, string reason, CancellationToken cancellationToken) where T : class
    {
        if (_dataDirectory is null)
        {
            return Task.CompletedTask;
        }

        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("stream", stream.Name);
            json.WriteString("key", message.Key);
            json.WriteString("reason", reason);
            json.WritePropertyName("value");
            if (message.Value is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(MessageSchema.Serialize(message.Value, stream));
            }

            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        // Rare and small: a synchronous append under a lock keeps lines whole.
        lock (_deadLetterGate)
        {
            Directory.CreateDirectory(_dataDirectory);
            File.AppendAllBytes(Path.Combine(_dataDirectory, "deadletter.jsonl"), buffer.ToArray());
        }

        return Task.CompletedTask;
    }

    private IEnumerable<Measurement<int>> ObserveLag() =>
        _streams.Values.OfType<ILagSource>().SelectMany(stream => stream.Lag().Select(l => new Measurement<int>(l.Waiting,
            new KeyValuePair<string, object?>("stream", stream.Name), new KeyValuePair<string, object?>("group", l.Group))));

    private InProcessStream<T> Stream<T>(StreamDescriptor<T> stream) where T : class =>
        (InProcessStream<T>)_streams.GetOrAdd(stream.Name, _ => new InProcessStream<T>(stream, _capacity, stream.Compacted && _dataDirectory is not null ? new CompactedFile<T>(Path.Combine(_dataDirectory, stream.Name + ".jsonl"), stream) : null));
}
