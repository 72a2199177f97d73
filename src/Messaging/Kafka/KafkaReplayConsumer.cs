using Confluent.Kafka;

namespace Analytics.Messaging.Kafka;

/// <summary>
/// Reads a whole topic from the beginning without a consumer group (every partition assigned
/// at <see cref="Offset.Beginning"/>), completes <see cref="CaughtUp"/> once each partition has
/// been read up to the high watermark it had at start, then keeps following it.
/// </summary>
internal sealed class KafkaReplayConsumer<T> : KafkaConsumerBase<T> where T : class
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<int, long> _pending = [];
    private readonly Task _assigned;
    private int _partitionCount;

    public KafkaReplayConsumer(KafkaTransport transport, StreamDescriptor<T> stream, string topic)
        : base(transport, stream, topic, "replay:" + topic)
    {
        Consumer = new ConsumerBuilder<string?, byte[]?>(KafkaClientSettings.ReplayConsumer(transport.Options))
            .SetKeyDeserializer(Deserializers.Utf8)
            .SetValueDeserializer(Deserializers.ByteArray)
            .SetErrorHandler(OnError)
            .SetLogHandler(transport.OnLibrdkafkaLog)
            .Build();
        _assigned = Task.Run(() => AssignAsync(Disposing));
    }

    protected override IConsumer<string?, byte[]?> Consumer { get; }

    public override Task CaughtUp => _caughtUp.Task;

    public override void Commit(StreamMessage<T> message)
    {
        // Replay consumers keep no position: they always start from the beginning.
    }

    protected override async ValueTask BeforeReadAsync(CancellationToken cancellationToken)
    {
        if (!_assigned.IsCompleted)
        {
            await _assigned.WaitAsync(cancellationToken);
        }

        await _assigned;
    }

    protected override void OnPartitionEof(int partition, long offset) => Reached(partition, offset);

    protected override void OnConsumed(int partition, long offset) => Reached(partition, offset + 1);

    protected override void OnDisposing() => _caughtUp.TrySetCanceled();

    private void Reached(int partition, long position)
    {
        if (_pending.TryGetValue(partition, out var high) && position >= high)
        {
            _pending.Remove(partition);
            if (_pending.Count == 0)
            {
                KafkaLog.CaughtUp(Transport.Logger, Topic, _partitionCount);
                _caughtUp.TrySetResult();
            }
        }
    }

    private async Task AssignAsync(CancellationToken cancellationToken)
    {
        var partitions = await Transport.WaitForPartitionsAsync(Topic, cancellationToken);
        _partitionCount = partitions.Count;
        foreach (var partition in partitions)
        {
            var marks = Consumer.QueryWatermarkOffsets(new TopicPartition(Topic, partition), QueryTimeout);
            if (marks.High.Value > marks.Low.Value)
            {
                _pending[partition] = marks.High.Value;
            }
        }

        Consumer.Assign(partitions.Select(p => new TopicPartitionOffset(Topic, p, Offset.Beginning)));
        if (_pending.Count == 0)
        {
            KafkaLog.CaughtUp(Transport.Logger, Topic, partitions.Count);
            _caughtUp.TrySetResult();
        }
    }
}
