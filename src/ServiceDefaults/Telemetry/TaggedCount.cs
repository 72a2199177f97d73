using System.Runtime.CompilerServices;

namespace Analytics.ServiceDefaults.Telemetry;

/// <summary>
/// One combination of tag values of a <see cref="TaggedCounts"/>, resolved once: a hot path adds
/// to it with one interlocked add, without hashing its tags or looking them up.
/// </summary>
public sealed class TaggedCount
{
    private readonly StrongBox<long> _box;

    internal TaggedCount(StrongBox<long> box) => _box = box;

    /// <summary>Adds one.</summary>
    public void Increment() => Interlocked.Increment(ref _box.Value);

    /// <summary>Adds <paramref name="value"/>.</summary>
    public void Add(long value) => Interlocked.Add(ref _box.Value, value);

    /// <summary>The count so far.</summary>
    public long Value => Interlocked.Read(ref _box.Value);
}
