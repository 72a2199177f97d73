using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Analytics.ServiceDefaults.Telemetry;

/// <summary>
/// A monotonic count split by up to three tags, exported as one observable counter and read back
/// by the admin <c>/stats</c> endpoints: one count, two views, so a stats page and a scrape never disagree.
/// </summary>
public sealed class TaggedCounts
{
    private readonly string[] _tagNames;
    private readonly ConcurrentDictionary<TagValues, StrongBox<long>> _counts = new();

    /// <summary>Creates the instrument <paramref name="name"/> on <paramref name="meter"/> with the given tag names (at most three).</summary>
    public TaggedCounts(Meter meter, string name, string unit, string description, params string[] tagNames)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tagNames.Length, 3);
        _tagNames = tagNames;
        meter.CreateObservableCounter(name, Observe, unit, description);
    }

    /// <summary>Adds <paramref name="value"/> for one combination of tag values, given in the order of the tag names.</summary>
    public void Add(long value, string? first = null, string? second = null, string? third = null)
    {
        var box = _counts.GetOrAdd(new TagValues(first, second, third), static _ => new StrongBox<long>());
        Interlocked.Add(ref box.Value, value);
    }

    /// <summary>
    /// The count of one combination of tag values, resolved once for a hot path. The combination
    /// is exported from now on, at zero until something is added.
    /// </summary>
    public TaggedCount For(string? first = null, string? second = null, string? third = null) =>
        new(_counts.GetOrAdd(new TagValues(first, second, third), static _ => new StrongBox<long>()));

    /// <summary>The sum over every tag combination.</summary>
    public long Total => _counts.Values.Sum(b => Interlocked.Read(ref b.Value));

    /// <summary>Sums by the values of one tag.</summary>
    public Dictionary<string, long> SumBy(string tagName)
    {
        var index = Array.IndexOf(_tagNames, tagName);
        ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(tagName));
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (tags, box) in _counts)
        {
            var key = tags.At(index) ?? "";
            result[key] = result.GetValueOrDefault(key) + Interlocked.Read(ref box.Value);
        }

        return result;
    }

    /// <summary>Sums by the values of <paramref name="byTag"/>, over the combinations whose <paramref name="whereTag"/> is <paramref name="whereValue"/>.</summary>
    public Dictionary<string, long> SumWhere(string whereTag, string whereValue, string byTag)
    {
        var where = Array.IndexOf(_tagNames, whereTag);
        var by = Array.IndexOf(_tagNames, byTag);
        ArgumentOutOfRangeException.ThrowIfNegative(where, nameof(whereTag));
        ArgumentOutOfRangeException.ThrowIfNegative(by, nameof(byTag));
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (tags, box) in _counts)
        {
            if (string.Equals(tags.At(where), whereValue, StringComparison.Ordinal))
            {
                var key = tags.At(by) ?? "";
                result[key] = result.GetValueOrDefault(key) + Interlocked.Read(ref box.Value);
            }
        }

        return result;
    }

    /// <summary>The count of those combinations whose tag <paramref name="tagName"/> has <paramref name="value"/>.</summary>
    public long Where(string tagName, string value) => SumBy(tagName).GetValueOrDefault(value);

    private IEnumerable<Measurement<long>> Observe()
    {
        foreach (var (tags, box) in _counts)
        {
            var pairs = new KeyValuePair<string, object?>[_tagNames.Length];
            for (var i = 0; i < pairs.Length; i++)
            {
                pairs[i] = new KeyValuePair<string, object?>(_tagNames[i], tags.At(i));
            }

            yield return new Measurement<long>(Interlocked.Read(ref box.Value), pairs);
        }
    }

    private readonly record struct TagValues(string? First, string? Second, string? Third)
    {
        public string? At(int index) => index switch
        {
            0 => First,
            1 => Second,
            _ => Third,
        };
    }
}
