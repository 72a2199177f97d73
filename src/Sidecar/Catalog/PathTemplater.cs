using System.Buffers;
using System.Collections.Concurrent;

namespace Analytics.Sidecar.Catalog;

/// <summary>
/// Turns observed paths into operation templates: segments that are ids (numbers, UUIDs,
/// hashes, long random tokens, e-mail addresses, dates) become parameters, so /users/123 and
/// /users/456 are one operation; words stay (/users/me). A position that keeps showing new
/// values under the same prefix is also learned as a parameter (bounded counting).
/// </summary>
/// <remarks>
/// Work and memory are bounded whatever the path: the prefixes are a tree walked one segment at
/// a time (each segment is hashed once, never the prefix before it), at most
/// <see cref="MaxSegments"/> segments are templated (the rest becomes <c>/{rest}</c>), a
/// segment longer than <see cref="MaxSegmentLength"/> is a parameter without being stored, and
/// the tree holds at most a fixed number of prefixes and values; what does not fit is counted
/// in <see cref="Untracked"/> instead of stored.
/// </remarks>
internal sealed class PathTemplater
{
    /// <summary>The suffix standing for the segments after <see cref="MaxSegments"/>.</summary>
    public const string RestParameter = "{rest}";

    private const string Parameter = "{param}";
    private static readonly SearchValues<char> HexChars = SearchValues.Create("0123456789abcdefABCDEF");
    private readonly int _cardinalityLimit;
    private readonly int _maxTrackedPrefixes;
    private readonly int _maxTrackedValues;
    private readonly Node _root = new();
    private int _trackedPrefixes = 1;
    private int _trackedValues;
    private long _untracked;

    public PathTemplater(int cardinalityLimit = 50, int maxTrackedPrefixes = 5000, int maxSegments = 32, int maxSegmentLength = 100, int maxTrackedValues = 100_000)
    {
        _cardinalityLimit = cardinalityLimit;
        _maxTrackedPrefixes = maxTrackedPrefixes;
        _maxTrackedValues = maxTrackedValues;
        MaxSegments = maxSegments;
        MaxSegmentLength = maxSegmentLength;
    }

    /// <summary>Segments templated one by one; the rest of a longer path becomes <c>/{rest}</c>.</summary>
    public int MaxSegments { get; }

    /// <summary>Longer segments are parameters without being compared or stored.</summary>
    public int MaxSegmentLength { get; }

    /// <summary>Prefixes and values not stored because the tree was full (they still template, without learning).</summary>
    public long Untracked => Interlocked.Read(ref _untracked);

    /// <summary>Prefixes held (the root included).</summary>
    public int TrackedPrefixes => Volatile.Read(ref _trackedPrefixes);

    /// <summary>Distinct values held across all prefixes.</summary>
    public int TrackedValues => Volatile.Read(ref _trackedValues);

    public string Template(string canonicalPath)
    {
        var span = canonicalPath.AsSpan();
        if (span.IsEmpty || span is "/")
        {
            return "/";
        }

        var trimmed = span.Trim('/');
        // Each output segment is at most its input or a short name ("{param}", 7 characters), plus its '/'.
        var capacity = Math.Min(trimmed.Length, MaxSegments * (MaxSegmentLength + 1)) + ((MaxSegments + 1) * 8);
        var rented = ArrayPool<char>.Shared.Rent(capacity);
        try
        {
            var written = 0;
            var segments = 0;
            var node = _root;
            foreach (var range in trimmed.Split('/'))
            {
                if (segments++ == MaxSegments)
                {
                    rented[written++] = '/';
                    RestParameter.CopyTo(rented.AsSpan(written));
                    written += RestParameter.Length;
                    break;
                }

                var segment = trimmed[range];
                var kind = segment.Length > MaxSegmentLength ? Parameter : Classify(segment);
                if (kind is null && node is not null && node.Learned(segment, this))
                {
                    kind = Parameter;
                }

                var part = kind is null ? segment : kind.AsSpan();
                rented[written++] = '/';
                part.CopyTo(rented.AsSpan(written));
                written += part.Length;
                node = node?.Child(part, this);
            }

            return new string(rented, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Takes one of <paramref name="max"/> slots; false once they are all taken (the counter never passes the cap, so it cannot wrap).</summary>
    private static bool TryReserve(ref int counter, int max)
    {
        var current = Volatile.Read(ref counter);
        while (current < max)
        {
            var seen = Interlocked.CompareExchange(ref counter, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    private void CountUntracked() => Interlocked.Increment(ref _untracked);

    /// <summary>The parameter name for an id-like segment, or null for a word.</summary>
    internal static string? Classify(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return null;
        }

        if (s.IndexOfAnyExceptInRange('0', '9') < 0 || (s[0] == '-' && s.Length > 1 && s[1..].IndexOfAnyExceptInRange('0', '9') < 0))
        {
            return "{id}";
        }

        if (s.Length == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' && Guid.TryParse(s, out _))
        {
            return "{uuid}";
        }

        if (s.Length == 32 && Guid.TryParseExact(s, "N", out _))
        {
            return "{uuid}";
        }

        if (s.Length >= 16 && s.IndexOfAnyExcept(HexChars) < 0)
        {
            return "{hash}";
        }

        if (s.Contains('@') && s.Contains('.'))
        {
            return "{email}";
        }

        if (s.Length == 10 && s[4] == '-' && s[7] == '-' && DateOnly.TryParse(s, out _))
        {
            return "{date}";
        }

        // Long tokens with digits and letters mixed (base64url, ULIDs, slugs with ids).
        if (s.Length >= 16)
        {
            var digits = 0;
            var letters = 0;
            foreach (var c in s)
            {
                if (char.IsAsciiDigit(c))
                {
                    digits++;
                }
                else if (char.IsAsciiLetter(c))
                {
                    letters++;
                }
            }

            if (digits >= 3 && letters >= 3 && digits + letters >= s.Length - 3)
            {
                return "{token}";
            }
        }

        return null;
    }

    /// <summary>
    /// One position after a prefix: the distinct values seen there (until there are too many to
    /// be words) and the prefixes one segment longer, keyed by the templated segment.
    /// </summary>
    private sealed class Node
    {
        private readonly ConcurrentDictionary<string, byte> _values = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, byte>.AlternateLookup<ReadOnlySpan<char>> _valuesBySpan;
        private readonly ConcurrentDictionary<string, Node> _children = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> _childrenBySpan;
        private volatile bool _isParameter;

        public Node()
        {
            _valuesBySpan = _values.GetAlternateLookup<ReadOnlySpan<char>>();
            _childrenBySpan = _children.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        /// <summary>The prefix one segment longer, made on first sight while the tree has room; null when it is full.</summary>
        public Node? Child(ReadOnlySpan<char> part, PathTemplater owner)
        {
            if (_childrenBySpan.TryGetValue(part, out var child))
            {
                return child;
            }

            if (!TryReserve(ref owner._trackedPrefixes, owner._maxTrackedPrefixes))
            {
                owner.CountUntracked();
                return null;
            }

            var made = new Node();
            if (_childrenBySpan.TryAdd(part, made))
            {
                return made;
            }

            // Another request made it first: give the slot back.
            Interlocked.Decrement(ref owner._trackedPrefixes);
            return _childrenBySpan.TryGetValue(part, out child) ? child : null;
        }

        /// <summary>Records a value; true when the position is a parameter (more distinct values than the limit).</summary>
        public bool Learned(ReadOnlySpan<char> segment, PathTemplater owner)
        {
            if (_isParameter)
            {
                return true;
            }

            if (_valuesBySpan.ContainsKey(segment))
            {
                return false;
            }

            lock (_values)
            {
                if (_isParameter)
                {
                    return true;
                }

                if (_values.Count >= owner._cardinalityLimit && !_valuesBySpan.ContainsKey(segment))
                {
                    // Too many distinct values: stop counting (memory stays bounded) and call it a parameter.
                    _isParameter = true;
                    Interlocked.Add(ref owner._trackedValues, -_values.Count);
                    _values.Clear();
                    return true;
                }

                if (!TryReserve(ref owner._trackedValues, owner._maxTrackedValues))
                {
                    owner.CountUntracked();
                    return false;
                }

                if (!_valuesBySpan.TryAdd(segment, 0))
                {
                    Interlocked.Decrement(ref owner._trackedValues);
                }

                return false;
            }
        }
    }
}
