namespace Analytics.Inspection;

/// <summary>
/// The findings of one request: each rule counts once (its first location is kept), the
/// route's exclusions are applied as findings arrive, and the score is the sum of weights.
/// Reused across requests via <see cref="Reset"/> so the hot path does not allocate lists.
/// </summary>
internal sealed class FindingSet
{
    private const int Capacity = 48;
    private readonly Rule[] _rules = new Rule[Capacity];
    private readonly ValueLocation[] _locations = new ValueLocation[Capacity];
    private InspectionExclusions? _exclusions;
    private int _paranoia = MaxParanoia;

    /// <summary>The highest paranoia level: every rule counts.</summary>
    public const int MaxParanoia = 4;

    public int Count { get; private set; }

    public int Score { get; private set; }

    /// <summary>No room for another rule: later ones are dropped.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>The location of the value being scanned; detectors report against it.</summary>
    public ValueLocation Current { get; set; }

    public Rule this[int index] => _rules[index];

    public ValueLocation LocationAt(int index) => _locations[index];

    /// <summary>The route's paranoia level: rules of a higher level are not recorded.</summary>
    public int Paranoia => _paranoia;

    public void Reset(InspectionExclusions? exclusions, int paranoia = 1)
    {
        Array.Clear(_rules, 0, Count);
        Count = 0;
        Score = 0;
        _exclusions = exclusions;
        _paranoia = Math.Clamp(paranoia, 1, MaxParanoia);
        Current = default;
    }

    public void Add(Rule rule)
    {
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(_rules[i], rule))
            {
                return;
            }
        }

        if (rule.Paranoia > _paranoia || Count == Capacity || (_exclusions is not null && _exclusions.IsExcluded(rule, Current)))
        {
            return;
        }

        _rules[Count] = rule;
        _locations[Count] = Current;
        Count++;
        Score += rule.Weight;
    }

    public bool Contains(Rule rule)
    {
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(_rules[i], rule))
            {
                return true;
            }
        }

        return false;
    }

    public string[] RuleIds()
    {
        if (Count == 0)
        {
            return [];
        }

        var ids = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            ids[i] = _rules[i].Id;
        }

        return ids;
    }

    public string[] CategoryNames()
    {
        if (Count == 0)
        {
            return [];
        }

        Span<int> picked = stackalloc int[Capacity];
        var n = 0;
        for (var i = 0; i < Count; i++)
        {
            var seen = false;
            for (var j = 0; j < n; j++)
            {
                if (_rules[picked[j]].Category == _rules[i].Category)
                {
                    seen = true;
                    break;
                }
            }

            if (!seen)
            {
                picked[n++] = i;
            }
        }

        var categories = new string[n];
        for (var j = 0; j < n; j++)
        {
            categories[j] = _rules[picked[j]].Category;
        }

        return categories;
    }
}
