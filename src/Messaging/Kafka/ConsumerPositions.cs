namespace Analytics.Messaging.Kafka;

/// <summary>
/// Where one group member has read to, per partition, for the consumer-lag gauge. The read loop
/// only writes the next offset into a slot per message; the lag (librdkafka's cached high
/// watermark minus that position) is worked out when the gauge is observed, not on every read.
/// </summary>
internal sealed class ConsumerPositions(string stream, string group, Func<int, long?> highWatermark)
{
    private readonly Lock _gate = new();
    // Next offset to read per partition; -1 for a partition this member does not hold.
    private long[] _next = [];
    private bool _closed;

    public string Stream { get; } = stream;
    public string Group { get; } = group;

    /// <summary>Called by the read loop after each message.</summary>
    public void Consumed(int partition, long offset)
    {
        var next = _next;
        if (partition >= next.Length)
        {
            next = Grow(partition);
        }

        Volatile.Write(ref next[partition], offset + 1);
    }

    /// <summary>Partitions this member no longer holds (another member reports them now).</summary>
    public void Forget(IEnumerable<int> partitions)
    {
        var next = _next;
        foreach (var partition in partitions)
        {
            if (partition < next.Length)
            {
                Volatile.Write(ref next[partition], -1);
            }
        }
    }

    /// <summary>Messages behind the end of each held partition, as of librdkafka's last fetch; 0 once closed.</summary>
    public long Lag()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return 0;
            }

            var next = _next;
            long lag = 0;
            for (var partition = 0; partition < next.Length; partition++)
            {
                var position = Volatile.Read(ref next[partition]);
                if (position >= 0 && highWatermark(partition) is { } high)
                {
                    lag += Math.Max(0, high - position);
                }
            }

            return lag;
        }
    }

    /// <summary>Called before the consumer is closed: the gauge no longer asks it for watermarks.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
    }

    private long[] Grow(int partition)
    {
        lock (_gate)
        {
            var old = _next;
            if (partition < old.Length)
            {
                return old;
            }

            var grown = new long[partition + 1];
            Array.Fill(grown, -1);
            Array.Copy(old, grown, old.Length);
            _next = grown;
            return grown;
        }
    }
}
