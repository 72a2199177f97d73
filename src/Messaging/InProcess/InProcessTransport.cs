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

    private IEnumerable<Measurement<int>> ObserveLag() =>
        _streams.Values.OfType<ILagSource>().SelectMany(stream => stream.Lag().Select(l => new Measurement<int>(l.Waiting,
            new KeyValuePair<string, object?>("stream", stream.Name), new KeyValuePair<string, object?>("group", l.Group))));

    private InProcessStream<T> Stream<T>(StreamDescriptor<T> stream) where T : class =>
        (InProcessStream<T>)_streams.GetOrAdd(stream.Name, _ => new InProcessStream<T>(stream, _capacity, stream.Compacted && _dataDirectory is not null ? new CompactedFile<T>(Path.Combine(_dataDirectory, stream.Name + ".jsonl"), stream) : null));
}
