namespace Analytics.Inspection.Model;

/// <summary>
/// What the learned model reads of a request, and nothing else: <c>key=value</c> for every
/// parameter and body value, after the inspection's normalisation. No method and no path:
/// those tie a model to the APIs it was trained on, and it judged every other API's routes as
/// unknown, hence suspicious. The key stays because it carries what the model learned about
/// parameters (an unexpected name like CSIC's <c>idA=</c>); a request without values is not
/// scored at all.
/// </summary>
internal static class ModelInput
{
    /// <summary>Marks the start of a unit, so n-grams see how a key or value begins.</summary>
    public const char ValueStart = '\u0002';

    /// <summary>Marks the end of a unit, so n-grams see how a value ends (a trailing <c>--</c>).</summary>
    public const char ValueEnd = '\u0003';

    /// <summary>Longest key kept in a unit; names longer than this are cut.</summary>
    public const int MaxKeyChars = 64;

    /// <summary>Longest value kept in a unit; the rules still scan the whole value.</summary>
    public const int MaxValueChars = 512;

    /// <summary>Room for the longest unit: key, '=', value and the two marks.</summary>
    public const int MaxUnitChars = MaxKeyChars + MaxValueChars + 3;

    /// <summary>
    /// Writes the unit text for one value into <paramref name="buffer"/> (at least
    /// <see cref="MaxUnitChars"/> long) and returns its length.
    /// </summary>
    public static int Compose(ReadOnlySpan<char> key, ReadOnlySpan<char> value, Span<char> buffer)
    {
        var k = key.Length > MaxKeyChars ? key[..MaxKeyChars] : key;
        var v = value.Length > MaxValueChars ? value[..MaxValueChars] : value;
        var n = 0;
        buffer[n++] = ValueStart;
        k.CopyTo(buffer[n..]);
        n += k.Length;
        buffer[n++] = '=';
        v.CopyTo(buffer[n..]);
        n += v.Length;
        buffer[n++] = ValueEnd;
        return n;
    }

    public static string Compose(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        Span<char> buffer = stackalloc char[MaxUnitChars];
        return new string(buffer[..Compose(key, value, buffer)]);
    }
}

/// <summary>Receives the values of a request as the inspection meets them.</summary>
internal abstract class ModelSink
{
    public abstract void Add(string key, string value);
}

/// <summary>Collects the unit texts of one request, for training.</summary>
internal sealed class ModelUnitList : ModelSink
{
    public List<string> Units { get; } = [];

    public override void Add(string key, string value)
    {
        if (value.Length > 0)
        {
            Units.Add(ModelInput.Compose(key, value));
        }
    }
}

/// <summary>
/// Scores one request while it is inspected, without allocating: the n-gram weights of every
/// unit are summed as they come, so the request is one text to the model without ever being
/// built as one. One instance per thread is reused (a request is inspected synchronously).
/// </summary>
internal sealed class ModelRequestScore : ModelSink
{
    [ThreadStatic]
    private static ModelRequestScore? t_current;

    private const int Recent = 8;

    private LearnedScorer _scorer = null!;
    private double _sum;
    private int _ngrams;

    // The last units scored, by the identity of their strings: arrays of records repeat a value under the
    // same key, and the engine hands the same normalised string again (RecentValues), so its n-grams are not
    // hashed again. Strings are immutable, so the same references are the same text.
    private readonly (string? Key, string? Value, double Sum, int Count)[] _recent = new (string?, string?, double, int)[Recent];
    private int _nextRecent;

    public static ModelRequestScore Start(LearnedScorer scorer)
    {
        var s = t_current ??= new ModelRequestScore();
        s._scorer = scorer;
        s._sum = 0;
        s._ngrams = 0;
        Array.Clear(s._recent);
        return s;
    }

    public override void Add(string key, string value)
    {
        if (value.Length == 0)
        {
            return;
        }

        foreach (var r in _recent)
        {
            if (ReferenceEquals(r.Value, value) && ReferenceEquals(r.Key, key))
            {
                _sum += r.Sum;
                _ngrams += r.Count;
                return;
            }
        }

        var (sum, count) = _scorer.AccumulateUnit(key, value);
        _recent[_nextRecent] = (key, value, sum, count);
        _nextRecent = (_nextRecent + 1) % Recent;
        _sum += sum;
        _ngrams += count;
    }

    /// <summary>The request's probability, or null when it had nothing for the model to read.</summary>
    public double? Probability => _ngrams == 0 ? null : _scorer.Calibrate(_scorer.Margin(_sum, _ngrams));
}
