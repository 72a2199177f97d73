using System.Diagnostics.Metrics;

namespace Analytics.Messaging.Kafka;

/// <summary>Counters of the Kafka transport on the <c>Analytics.Messaging</c> meter.</summary>
internal sealed class KafkaMetrics
{
    public const string MeterName = "Analytics.Messaging";

    // Without DI (tests, benchmarks) the counters still exist, on a process-wide meter.
    private static readonly Lazy<Meter> FallbackMeter = new(() => new Meter(MeterName));

    private readonly Counter<long> _dropped;
    private readonly Counter<long> _published;
    private readonly Counter<long> _deadLettered;

    public KafkaMetrics(IMeterFactory? meterFactory, Func<IEnumerable<(string Stream, int Buffered)>> buffered)
    {
        var meter = meterFactory?.Create(MeterName) ?? FallbackMeter.Value;
        // The gauge's callback holds the transport, so only a DI meter (disposed with the container) gets one.
        if (meterFactory is not null)
        {
            meter.CreateObservableGauge("analytics.messaging.buffered",
                () => buffered().Select(b => new Measurement<int>(b.Buffered, new KeyValuePair<string, object?>("stream", b.Stream))),
                "{message}", "Messages waiting in the in-memory buffer in front of the Kafka producer.");
        }

        _dropped = meter.CreateCounter<long>("analytics.messaging.dropped", "{message}", "Messages given to TryPublish that never reached the broker (buffer full, delivery failed, or shutdown).");
        _published = meter.CreateCounter<long>("analytics.messaging.published", "{message}", "Messages acknowledged by the broker.");
        _deadLettered = meter.CreateCounter<long>("analytics.messaging.dead_lettered", "{message}", "Poison messages moved to the dead-letter topic.");
    }

    public void Dropped(string stream, string reason, long count = 1) =>
        _dropped.Add(count, new KeyValuePair<string, object?>("stream", stream), new KeyValuePair<string, object?>("reason", reason));

    public void Published(string stream) => _published.Add(1, new KeyValuePair<string, object?>("stream", stream));

    public void DeadLettered(string stream) => _deadLettered.Add(1, new KeyValuePair<string, object?>("stream", stream));
}

/// <summary>Why a message was dropped, as the <c>reason</c> tag.</summary>
internal static class DropReasons
{
    public const string BufferFull = "buffer_full";
    public const string DeliveryFailed = "delivery_failed";
    public const string Shutdown = "shutdown";
}
