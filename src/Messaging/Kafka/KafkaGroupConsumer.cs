using Confluent.Kafka;

namespace Analytics.Messaging.Kafka;

/// <summary>
/// A consumer-group member with at-least-once delivery: offsets are stored only on
/// <see cref="Commit"/> and auto-committed from there, so whatever was read but not committed
/// is delivered again to the group after this consumer leaves or loses the partition. Committed
/// offsets of a blocking <see cref="KafkaConsumerBase{T}.Read"/> loop are handed to librdkafka in
/// bulk (the latest per partition, at most every <see cref="StoreEveryMs"/>, when the stream is
/// quiet, before partitions are revoked and before close) rather than once per message:
/// auto-commit sends them only every few seconds anyway.
/// </summary>
internal sealed class KafkaGroupConsumer<T> : KafkaConsumerBase<T> where T : class
{
    private readonly string _group;
    private readonly ConsumerPositions _positions;
    private readonly Lock _unstoredGate = new();
    // Per partition, the latest committed offset not yet handed to librdkafka; -1 for none.
    private long[] _unstored = [];
    private bool _anyUnstored;
    private long _storedAt;

    // How long a committed offset may wait before librdkafka gets it (auto-commit then sends it within its interval, 5 s).
    internal const int StoreEveryMs = 20;

    public KafkaGroupConsumer(KafkaTransport transport, StreamDescriptor<T> stream, string topic, string group, ConsumerCallbacks? callbacks)
        : base(transport, stream, topic, "consumer:" + group)
    {
        _group = group;
        // librdkafka's high watermark is the one it cached from its last fetch: no broker round trip.
        _positions = new ConsumerPositions(stream.Name, group, partition =>
        {
            var high = Consumer!.GetWatermarkOffsets(new TopicPartition(topic, partition)).High;
            return high == Offset.Unset ? null : high.Value;
        });
        Consumer = new ConsumerBuilder<string?, byte[]?>(KafkaClientSettings.GroupConsumer(transport.Options, group))
            .SetKeyDeserializer(Deserializers.Utf8)
            .SetValueDeserializer(Deserializers.ByteArray)
            .SetErrorHandler(OnError)
            .SetLogHandler(transport.OnLibrdkafkaLog)
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                Log("assigned", partitions.Select(p => p.Partition.Value));
                callbacks?.PartitionsAssigned?.Invoke(Numbers(partitions.Select(p => p.Partition.Value)));
            })
            .SetPartitionsRevokedHandler((_, partitions) =>
            {
                Log("revoked", partitions.Select(p => p.Partition.Value));
                // Still assigned here: what was committed is stored, so the revocation commits it.
                StoreUnstored();
                _positions.Forget(partitions.Select(p => p.Partition.Value));
                callbacks?.PartitionsRevoked?.Invoke(Numbers(partitions.Select(p => p.Partition.Value)));
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                // Lost partitions cannot commit; for per-partition state this is a revocation.
                Log("lost", partitions.Select(p => p.Partition.Value));
                _positions.Forget(partitions.Select(p => p.Partition.Value));
                callbacks?.PartitionsRevoked?.Invoke(Numbers(partitions.Select(p => p.Partition.Value)));
            })
            .Build();
        Consumer.Subscribe(topic);
        transport.Metrics.Track(_positions);
    }

    protected override IConsumer<string?, byte[]?> Consumer { get; }

    public override Task CaughtUp => Task.CompletedTask;

    // Only the position: the lag gauge works the lag out when it is observed, not once per message.
    protected override void OnConsumed(int partition, long offset) => _positions.Consumed(partition, offset);

    protected override void OnDisposing()
    {
        StoreUnstored();
        Transport.Metrics.Untrack(_positions);
    }

    protected override void OnIdle() => StoreUnstored();

    public override void Commit(StreamMessage<T> message) => Remember(message.Partition, message.Offset);

    // The dead-letter topic now holds the poison message; moving past it keeps the group from re-reading it forever.
    protected override void SkipPoison(ConsumeResult<string?, byte[]?> result) => Remember(result.Partition.Value, result.Offset.Value);

    private void Remember(int partition, long offset)
    {
        lock (_unstoredGate)
        {
            if (partition >= _unstored.Length)
            {
                var grown = new long[partition + 1];
                Array.Fill(grown, -1);
                Array.Copy(_unstored, grown, _unstored.Length);
                _unstored = grown;
            }

            // The stored offset is the next one to read, as Kafka's committed offsets are; never moved back.
            _unstored[partition] = Math.Max(_unstored[partition], offset + 1);
            _anyUnstored = true;
            // A ReadAsync reader may wait in Consume for as long as the stream is quiet: nothing would store the offset then.
            if (ReadsInSlices && Environment.TickCount64 - _storedAt < StoreEveryMs)
            {
                return;
            }
        }

        StoreUnstored();
    }

    private void StoreUnstored()
    {
        lock (_unstoredGate)
        {
            _storedAt = Environment.TickCount64;
            if (!_anyUnstored)
            {
                return;
            }

            _anyUnstored = false;
            for (var partition = 0; partition < _unstored.Length; partition++)
            {
                if (_unstored[partition] >= 0)
                {
                    Store(partition, _unstored[partition]);
                    _unstored[partition] = -1;
                }
            }
        }
    }

    private void Store(int partition, long next)
    {
        try
        {
            Consumer.StoreOffset(new TopicPartitionOffset(Topic, partition, next));
        }
        catch (KafkaException ex) when (ex.Error.Code is ErrorCode.Local_State or ErrorCode.Local_UnknownPartition)
        {
            KafkaLog.StoreOffsetFailed(Transport.Logger, Topic, partition, next - 1);
        }
    }

    private void Log(string change, IEnumerable<int> partitions) =>
        KafkaLog.Rebalance(Transport.Logger, _group, Topic, change, string.Join(",", partitions));

    private static int[] Numbers(IEnumerable<int> partitions) => [.. partitions.Order()];
}
