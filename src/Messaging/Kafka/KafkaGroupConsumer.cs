using Confluent.Kafka;

namespace Analytics.Messaging.Kafka;

/// <summary>
/// A consumer-group member with at-least-once delivery: offsets are stored only on
/// <see cref="Commit"/> and auto-committed from there, so whatever was read but not committed
/// is delivered again to the group after this consumer leaves or loses the partition.
/// </summary>
internal sealed class KafkaGroupConsumer<T> : KafkaConsumerBase<T> where T : class
{
    private readonly string _group;
    private readonly ConsumerPositions _positions;

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

    protected override void OnDisposing() => Transport.Metrics.Untrack(_positions);

    public override void Commit(StreamMessage<T> message) => Store(message.Partition, message.Offset);

    // The dead-letter topic now holds the poison message; moving past it keeps the group from re-reading it forever.
    protected override void SkipPoison(ConsumeResult<string?, byte[]?> result) => Store(result.Partition.Value, result.Offset.Value);

    private void Store(int partition, long offset)
    {
        try
        {
            // The stored offset is the next one to read, as Kafka's committed offsets are.
            Consumer.StoreOffset(new TopicPartitionOffset(Topic, partition, offset + 1));
        }
        catch (KafkaException ex) when (ex.Error.Code is ErrorCode.Local_State or ErrorCode.Local_UnknownPartition)
        {
            KafkaLog.StoreOffsetFailed(Transport.Logger, Topic, partition, offset);
        }
    }

    private void Log(string change, IEnumerable<int> partitions) =>
        KafkaLog.Rebalance(Transport.Logger, _group, Topic, change, string.Join(",", partitions));

    private static int[] Numbers(IEnumerable<int> partitions) => [.. partitions.Order()];
}
