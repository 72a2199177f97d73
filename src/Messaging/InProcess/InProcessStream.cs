using System.Threading.Channels;

namespace Analytics.Messaging.InProcess;

/// <summary>One in-process stream: a bounded channel per consumer group, and for compacted streams the latest message per key.</summary>
internal sealed class InProcessStream<T> : IStreamProducer<T>, ILagSource where T : class
{
    private readonly StreamDescriptor<T> _descriptor;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, GroupQueue<T>> _groups = new(StringComparer.Ordinal);
    private readonly List<Channel<StreamMessage<T>>> _replays = [];
    private readonly Dictionary<string, StreamMessage<T>> _latest = new(StringComparer.Ordinal);
    // Messages published before any group joined wait here; the first group adopts them, so
    // start-up order between a producer and its consumers does not lose events.
    private GroupQueue<T>? _unclaimed;
    private GroupQueue<T>[] _groupSnapshot = [];
    private long _offset = -1;
    private long _dropped;
    private long _published;

    private readonly CompactedFile<T>? _file;

    public InProcessStream(StreamDescriptor<T> descriptor, int capacity, CompactedFile<T>? file = null)
    {
        _descriptor = descriptor;
        _capacity = capacity;
        _file = file;
        if (file is not null)
        {
            foreach (var (key, value) in file.Load())
            {
                _latest[key] = new StreamMessage<T>(key, value, 0, ++_offset, DateTimeOffset.UtcNow);
            }
        }
    }

    public long Dropped => Interlocked.Read(ref _dropped);
    public long Published => Interlocked.Read(ref _published);

    public bool TryPublish(string key, T message)
    {
        var groups = Volatile.Read(ref _groupSnapshot);
        if (_descriptor.Compacted || groups.Length == 0)
        {
            // Rare paths (decisions, or nobody listening yet): take the lock.
            lock (_gate)
            {
                return Deliver(key, message);
            }
        }

        var msg = new StreamMessage<T>(key, message, 0, Interlocked.Increment(ref _offset), DateTimeOffset.UtcNow);
        var accepted = false;
        foreach (var group in groups)
        {
            if (group.Channel.Writer.TryWrite(msg))
            {
                accepted = true;
            }
        }

        Count(accepted);
        return accepted;
    }

    public async Task PublishAsync(string key, T? message, CancellationToken cancellationToken = default)
    {
        GroupQueue<T>[] targets;
        StreamMessage<T> msg;
        lock (_gate)
        {
            msg = new StreamMessage<T>(key, message, 0, Interlocked.Increment(ref _offset), DateTimeOffset.UtcNow);
            Remember(msg);
            targets = Targets();
        }

        // Back-pressure instead of loss: a durable publish waits for room.
        foreach (var group in targets)
        {
            await group.Channel.Writer.WriteAsync(msg, cancellationToken);
        }

        Interlocked.Increment(ref _published);
    }

    public string Name => _descriptor.Name;

    /// <summary>Messages waiting in each group's queue: the in-process form of consumer lag.</summary>
    public (string Group, int Waiting)[] Lag()
    {
        lock (_gate)
        {
            return [.. _groups.Select(g => (g.Key, g.Value.Channel.Reader.Count))];
        }
    }

    public IStreamConsumer<T> JoinGroup(string group)
    {
        lock (_gate)
        {
            if (!_groups.TryGetValue(group, out var queue))
            {
                queue = _unclaimed ?? NewQueue();
                _unclaimed = null;
                _groups[group] = queue;
                _groupSnapshot = [.. _groups.Values];
            }

            return new InProcessGroupConsumer<T>(queue);
        }
    }

    public IStreamConsumer<T> Replay()
    {
        lock (_gate)
        {
            var channel = Channel.CreateUnbounded<StreamMessage<T>>(new UnboundedChannelOptions { SingleReader = true });
            var backlog = 0;
            foreach (var msg in _latest.Values.OrderBy(m => m.Offset))
            {
                channel.Writer.TryWrite(msg);
                backlog++;
            }

            _replays.Add(channel);
            return new InProcessReplayConsumer<T>(channel, backlog, () => { lock (_gate) { _replays.Remove(channel); } });
        }
    }

    private bool Deliver(string key, T message)
    {
        var msg = new StreamMessage<T>(key, message, 0, Interlocked.Increment(ref _offset), DateTimeOffset.UtcNow);
        Remember(msg);
        var accepted = false;
        foreach (var group in Targets())
        {
            accepted |= group.Channel.Writer.TryWrite(msg);
        }

        accepted |= _descriptor.Compacted;
        Count(accepted);
        return accepted;
    }

    private void Count(bool accepted)
    {
        if (accepted)
        {
            Interlocked.Increment(ref _published);
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    // Called under _gate.
    private void Remember(StreamMessage<T> msg)
    {
        if (!_descriptor.Compacted)
        {
            return;
        }

        _file?.Append(msg.Key, msg.Value);
        if (msg.Value is null)
        {
            _latest.Remove(msg.Key);
        }
        else
        {
            _latest[msg.Key] = msg;
        }

        foreach (var replay in _replays)
        {
            replay.Writer.TryWrite(msg);
        }
    }

    // Called under _gate.
    private GroupQueue<T>[] Targets()
    {
        if (_groups.Count > 0)
        {
            return _groupSnapshot;
        }

        // Compacted streams keep their state in _latest; nobody needs an unclaimed backlog.
        if (_descriptor.Compacted)
        {
            return [];
        }

        _unclaimed ??= NewQueue();
        return [_unclaimed];
    }

    private GroupQueue<T> NewQueue() => new(Channel.CreateBounded<StreamMessage<T>>(new BoundedChannelOptions(_capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
        SingleWriter = false,
    }));
}

/// <summary>A consumer group's queue: the channel plus messages handed out but not committed.</summary>
internal sealed class GroupQueue<T>(Channel<StreamMessage<T>> channel) where T : class
{
    public Channel<StreamMessage<T>> Channel { get; } = channel;

    /// <summary>Messages a closed consumer read but never committed; delivered again first.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<StreamMessage<T>> Redeliver { get; } = new();
}
