using System.Collections.Concurrent;
using Analytics.Messaging;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>
/// The stream transport of the step benchmarks: each producer serialises every message with the
/// streams' JSON contract, as the Kafka transport's drain loop does before <c>Produce</c>, and
/// keeps the last one. Nothing is sent anywhere, so librdkafka's cost is not in the figures.
/// </summary>
internal sealed class SerializingStreamTransport : IStreamTransport
{
    private readonly ConcurrentDictionary<string, object> _producers = new(StringComparer.Ordinal);

    public string Name => "bench-serializing";

    public IStreamProducer<T> GetProducer<T>(StreamDescriptor<T> stream) where T : class =>
        (IStreamProducer<T>)_producers.GetOrAdd(stream.Name, _ => new SerializingProducer<T>(stream));

    public IStreamConsumer<T> CreateGroupConsumer<T>(StreamDescriptor<T> stream, string group, ConsumerCallbacks? callbacks = null) where T : class =>
        throw new NotSupportedException("The step benchmarks consume nothing.");

    public IStreamConsumer<T> CreateReplayConsumer<T>(StreamDescriptor<T> stream) where T : class =>
        throw new NotSupportedException("The step benchmarks consume nothing.");
}
