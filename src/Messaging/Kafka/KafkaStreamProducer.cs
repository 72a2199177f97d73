using System.Threading.Channels;
using Confluent.Kafka;

namespace Analytics.Messaging.Kafka;

/// <summary>
/// Producer for one stream. <see cref="TryPublish"/> writes to a bounded channel that a background
/// loop drains into librdkafka, so the request path never waits on the network or on
/// librdkafka's own queue; <see cref="PublishAsync"/> goes straight to librdkafka and awaits the
/// broker's acknowledgement.
/// </summary>
internal sealed class KafkaStreamProducer<T> : IStreamProducer<T>, IKafkaStreamProducer where T : class
{
    // How long the drain loop waits before offering a message again when librdkafka's queue is full.
    private static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(20);

    private readonly KafkaTransport _transport;
    private readonly StreamDescriptor<T> _stream;
    private readonly Channel<Pending> _buffer;
    private readonly Action<DeliveryReport<string?, byte[]?>> _onDelivery;
    private readonly CancellationTokenSource _stop = new();
    private Task? _drain;
    private long _rejected;
    private long _deliveryFailed;
    private long _shutdownDropped;
    private long _published;
    private long _inFlight;
    private long _loggedDropped;

    public KafkaStreamProducer(KafkaTransport transport, StreamDescriptor<T> stream, string topic, int capacity)
    {
        _transport = transport;
        _stream = stream;
        Topic = topic;
        _buffer = Channel.CreateBounded<Pending>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _onDelivery = OnDelivery;
    }

    public string Topic { get; }

    public string StreamName => _stream.Name;

    public long Dropped => Interlocked.Read(ref _rejected) + Interlocked.Read(ref _deliveryFailed) + Interlocked.Read(ref _shutdownDropped);

    /// <summary>Messages acknowledged by the brokers (TryPublish and PublishAsync).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>TryPublish calls that found the buffer full.</summary>
    internal long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Buffered messages librdkafka reported failed (e.g. message.timeout.ms exceeded).</summary>
    internal long DeliveryFailed => Interlocked.Read(ref _deliveryFailed);

    /// <summary>Messages waiting in the in-memory buffer, not yet handed to librdkafka.</summary>
    public int Buffered => _buffer.Reader.Count;

    /// <summary>TryPublish messages handed to librdkafka and not yet reported delivered or failed.</summary>
    internal long InFlight => Interlocked.Read(ref _inFlight);

    public bool TryPublish(string key, T message)
    {
        if (_buffer.Writer.TryWrite(new Pending(key, message)))
        {
            if (_drain is null)
            {
                StartDrain();
            }

            return true;
        }

        Interlocked.Increment(ref _rejected);
        _transport.Metrics.Dropped(_stream.Name, DropReasons.BufferFull);
        return false;
    }

    public async Task PublishAsync(string key, T? message, CancellationToken cancellationToken = default)
    {
        var value = message is null ? null : MessageSchema.Serialize(message, _stream);
        await _transport.Producer.ProduceAsync(Topic, new Message<string?, byte[]?> { Key = key, Value = value }, cancellationToken);
        Interlocked.Increment(ref _published);
        _transport.Metrics.Published(_stream.Name);
    }

    public void StartDrain()
    {
        if (_drain is not null)
        {
            return;
        }

        var task = new Task<Task>(() => DrainAsync(_stop.Token));
        if (Interlocked.CompareExchange(ref _drain, task.Unwrap(), null) is null)
        {
            task.Start(TaskScheduler.Default);
        }
    }

    /// <summary>Drops since the last call, for the rate-limited drop log.</summary>
    public long TakeDropsSinceLastLog()
    {
        var total = Dropped;
        var previous = Interlocked.Exchange(ref _loggedDropped, total);
        return total - previous;
    }

    /// <summary>Stops accepting, hands what is buffered to librdkafka until <paramref name="deadline"/>, and counts the rest as dropped.</summary>
    public async Task StopAsync(DateTimeOffset deadline, TimeProvider time)
    {
        _buffer.Writer.TryComplete();
        if (_drain is { } drain)
        {
            var remaining = deadline - time.GetUtcNow();
            if (remaining > TimeSpan.Zero)
            {
                await Task.WhenAny(drain, Task.Delay(remaining, time));
            }

            await _stop.CancelAsync();
            try
            {
                await drain;
            }
            catch (OperationCanceledException)
            {
                // Expected when the deadline passed with messages still buffered.
            }
        }

        var left = 0L;
        while (_buffer.Reader.TryRead(out _))
        {
            left++;
        }

        CountShutdownDrops(left);
    }

    /// <summary>Called after the librdkafka producer is gone: whatever it never reported on is lost.</summary>
    public void CountUndelivered() => CountShutdownDrops(Interlocked.Exchange(ref _inFlight, 0));

    private void CountShutdownDrops(long count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _shutdownDropped, count);
            _transport.Metrics.Dropped(_stream.Name, DropReasons.Shutdown, count);
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var reader = _buffer.Reader;
        Message<string?, byte[]?>? next = null;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                while (reader.TryPeek(out var item))
                {
                    next ??= Serialize(item);
                    if (next is null)
                    {
                        reader.TryRead(out _);
                        continue;
                    }

                    if (!TryProduce(next))
                    {
                        // librdkafka's queue is full (broker slow or gone): keep the message in our
                        // buffer, so new events are dropped at TryPublish, where they are counted.
                        await Task.Delay(QueueFullBackoff, _transport.Time, cancellationToken);
                        continue;
                    }

                    reader.TryRead(out _);
                    next = null;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync counts what is left in the buffer.
        }
    }

    private Message<string?, byte[]?>? Serialize(Pending item)
    {
        try
        {
            return new Message<string?, byte[]?> { Key = item.Key, Value = MessageSchema.Serialize(item.Message, _stream) };
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            Interlocked.Increment(ref _deliveryFailed);
            _transport.Metrics.Dropped(_stream.Name, DropReasons.DeliveryFailed);
            return null;
        }
    }

    private bool TryProduce(Message<string?, byte[]?> message)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            _transport.Producer.Produce(Topic, message, _onDelivery);
            return true;
        }
        catch (ProduceException<string?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }
        catch (Exception ex) when (ex is KafkaException or ArgumentException or InvalidOperationException or ObjectDisposedException)
        {
            // Fatal producer state, a producer that could not be built, or a bad message:
            // retrying cannot help, so it is a counted drop and the loop goes on.
            Interlocked.Decrement(ref _inFlight);
            Interlocked.Increment(ref _deliveryFailed);
            _transport.Metrics.Dropped(_stream.Name, DropReasons.DeliveryFailed);
            _transport.ReportClientError("producer", ex is KafkaException kafka ? kafka.Error : new Error(ErrorCode.Local_Fail, ex.GetType().Name));
            return true;
        }
    }

    // Runs on librdkafka's poll thread: count and return.
    private void OnDelivery(DeliveryReport<string?, byte[]?> report)
    {
        Interlocked.Decrement(ref _inFlight);
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _deliveryFailed);
            _transport.Metrics.Dropped(_stream.Name, DropReasons.DeliveryFailed);
        }
        else
        {
            Interlocked.Increment(ref _published);
            _transport.Metrics.Published(_stream.Name);
        }
    }

    private readonly record struct Pending(string Key, T Message);
}

/// <summary>What the transport needs from every stream producer regardless of its message type.</summary>
internal interface IKafkaStreamProducer
{
    string StreamName { get; }
    int Buffered { get; }
    long Dropped { get; }
    void StartDrain();
    long TakeDropsSinceLastLog();
    Task StopAsync(DateTimeOffset deadline, TimeProvider time);
    void CountUndelivered();
}
