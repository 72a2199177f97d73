using Analytics.Messaging;

namespace Analytics.Alerts.Routing;

/// <summary>
/// Commits a stream position only when it and everything before it in its partition is settled
/// (its notifications stored as jobs, or nothing left to send), since committing one offset
/// commits all earlier ones. Alerts waiting in a group hold back the offsets behind them.
/// </summary>
internal sealed class OffsetTracker<T> where T : class
{
    private readonly Dictionary<int, LinkedList<Position>> _partitions = [];
    private readonly Dictionary<long, Position> _byTicket = [];
    private long _nextTicket;

    /// <summary>Positions read and not yet committed.</summary>
    public int Pending => _byTicket.Count;

    public long Track(StreamMessage<T> message)
    {
        var position = new Position(_nextTicket++, message);
        if (!_partitions.TryGetValue(message.Partition, out var list))
        {
            list = new LinkedList<Position>();
            _partitions[message.Partition] = list;
        }

        list.AddLast(position);
        _byTicket[position.Ticket] = position;
        return position.Ticket;
    }

    public void Settle(long ticket)
    {
        if (_byTicket.TryGetValue(ticket, out var position))
        {
            position.Settled = true;
        }
    }

    /// <summary>Commits the furthest settled prefix of each partition.</summary>
    public void CommitSettled(IStreamConsumer<T> consumer)
    {
        foreach (var list in _partitions.Values)
        {
            StreamMessage<T>? last = null;
            while (list.First is { Value.Settled: true } first)
            {
                last = first.Value.Message;
                _byTicket.Remove(first.Value.Ticket);
                list.RemoveFirst();
            }

            if (last is not null)
            {
                consumer.Commit(last);
            }
        }
    }

    private sealed class Position(long ticket, StreamMessage<T> message)
    {
        public long Ticket { get; } = ticket;
        public StreamMessage<T> Message { get; } = message;
        public bool Settled { get; set; }
    }
}
