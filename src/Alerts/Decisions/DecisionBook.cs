using System.Collections.Concurrent;
using Analytics.Messaging;

namespace Analytics.Alerts.Decisions;

/// <summary>The decisions in force, by id, so messages can state a decision's action and expiry (an alert carries only its id).</summary>
internal sealed class DecisionBook
{
    private readonly ConcurrentDictionary<string, Decision> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _idByKey = new(StringComparer.Ordinal);

    public int Count => _byId.Count;

    public Decision? Find(string? id) => id is not null && _byId.TryGetValue(id, out var d) ? d : null;

    /// <summary>Applies one message of the decisions stream: a decision replaces the entity's previous one; a tombstone (null) removes it.</summary>
    public void Apply(string key, Decision? decision)
    {
        if (_idByKey.TryRemove(key, out var previous))
        {
            _byId.TryRemove(previous, out _);
        }

        if (decision is not null && !string.IsNullOrEmpty(decision.Id))
        {
            _byId[decision.Id] = decision;
            _idByKey[key] = decision.Id;
        }
    }
}
