using System.Collections.Concurrent;
using Analytics.Messaging;

namespace Analytics.Analyzer.Decisions;

/// <summary>The decisions this analyzer published and that are still in force, for the expiry sweep and the daily summary.</summary>
internal sealed class DecisionLedger
{
    private readonly ConcurrentDictionary<string, Decision> _byKey = new(StringComparer.Ordinal);

    public int Count => _byKey.Count;

    public void Add(Decision decision) => _byKey[decision.Key] = decision;

    public IReadOnlyList<Decision> Snapshot() => [.. _byKey.Values];

    /// <summary>Removes and returns the decisions expired at <paramref name="now"/>.</summary>
    public IReadOnlyList<Decision> TakeExpired(DateTimeOffset now)
    {
        var expired = new List<Decision>();
        foreach (var (key, d) in _byKey)
        {
            if (d.IsExpired(now) && _byKey.TryRemove(new KeyValuePair<string, Decision>(key, d)))
            {
                expired.Add(d);
            }
        }

        return expired;
    }
}
