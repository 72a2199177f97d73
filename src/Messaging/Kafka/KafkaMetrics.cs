using System.Diagnostics.Metrics;

namespace Analytics.Messaging.Kafka;

/// <summary>Instruments of the Kafka transport on the <c>Analytics.Streams</c> meter (<c>analytics.streams.*</c>).</summary>
internal sealed class KafkaMetrics
{
    public const string MeterName = "Analytics.Streams";

    // Without DI (tests, benchmarks) the counters still exist, on a process-wide meter.
    private static readonly Lazy<Meter> FallbackMeter = new(() => new Meter(MeterName));

    private readonly Counter<long> _dropped;
    private readonly Counter<long> _published;
    private readonly Counter<long> _deadLettered;

    // Each group member's read positions; the lag is worked out from them when the gauge is observed.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ConsumerPositions, byte> _positions = new();

    public KafkaMetrics(IMeterFactory? meterFactory, Func<IEnumerable<(string Stream, int Buffered)>> buffered)
    {
        var meter = meterFactory?.Create(MeterName) ?? FallbackMeter.Value;
        // The gauge's callback holds the transport, so only a DI meter (disposed with the container) gets one.
        if (meterFactory is not null)
        {
            meter.CreateObservableGauge("analytics.streams.buffered",
                () => buffered().Select(b => new Measurement<int>(b.Buffered, new KeyValuePair<string, object?>("stream", b.Stream))),
                "{message}", "Messages waiting in the in-memory buffer in front of the Kafka producer.");
        }

        meter.CreateObservableGauge("analytics.streams.consumer.lag",
            () => _positions.Keys.GroupBy(p => (p.Stream, p.Group)).Select(g => new Measurement<long>(g.Sum(p => p.Lag()),
                new KeyValuePair<string, object?>("stream", g.Key.Stream), new KeyValuePair<string, object?>("group", g.Key.Group))),
            "{message}", "Messages behind the end of the stream, per consumer group: the end as of each member's last fetch, minus its last read.");
        _dropped = meter.CreateCounter<long>("analytics.streams.dropped", "{message}", "Messages given to TryPublish that never reached the broker (buffer full, delivery failed, or shutdown).");
        _published = meter.CreateCounter<long>("analytics.streams.published", "{message}", "Messages acknowledged by the broker.");
        _deadLettered = meter.CreateCounter<long>("analytics.streams.dead_lettered", "{message}", "Poison messages moved to the dead-letter topic.");
    }

    public void Dropped(string stream, string reason, long count = 1) =>
        _dropped.Add(count, new KeyValuePair<string, object?>("stream", stream), new KeyValuePair<string, object?>("reason", reason));

    public void Published(string stream) => _published.Add(1, new KeyValuePair<string, object?>("stream", stream));

    /// <summary>Counts <paramref name="positions"/> in the lag gauge until <see cref="Untrack"/>.</summary>
    public void Track(ConsumerPositions positions) => _positions.TryAdd(positions, 0);

    /// <summary>Leaves a closing member out of the lag gauge.</summary>
    public void Untrack(ConsumerPositions positions)
    {
        positions.Close();
        _positions.TryRemove(positions, out _);
    }

    public void DeadLettered(string stream) => _deadLettered.Add(1, new KeyValuePair<string, object?>("stream", stream));
}

/// <summary>Why a message was dropped, as the <c>reason</c> tag.</summary>
internal static class DropReasons
{
    public const string BufferFull = "buffer_full";
    public const string DeliveryFailed = "delivery_failed";
    public const string Shutdown = "shutdown";
}
