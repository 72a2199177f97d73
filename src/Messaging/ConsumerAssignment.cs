namespace Analytics.Messaging;

/// <summary>
/// Whether a group consumer holds an assignment: set by the group's assignment callback (an empty
/// assignment counts: the consumer joined, there were just fewer partitions than members), cleared
/// on revocation or loss until the next assignment. Services gate <c>/readyz</c> on it.
/// </summary>
public sealed class ConsumerAssignment
{
    private volatile bool _assigned;
    private int _partitions;

    /// <summary>True while the consumer has joined its group and holds its assignment.</summary>
    public bool IsAssigned => _assigned;

    /// <summary>Partitions in the current assignment.</summary>
    public int Partitions => Volatile.Read(ref _partitions);

    /// <summary>Callbacks that record the assignment, then call <paramref name="inner"/>'s.</summary>
    public ConsumerCallbacks Track(ConsumerCallbacks? inner = null) => new()
    {
        PartitionsAssigned = partitions =>
        {
            Volatile.Write(ref _partitions, partitions.Count);
            _assigned = true;
            inner?.PartitionsAssigned?.Invoke(partitions);
        },
        PartitionsRevoked = partitions =>
        {
            _assigned = false;
            Volatile.Write(ref _partitions, 0);
            inner?.PartitionsRevoked?.Invoke(partitions);
        },
    };
}
