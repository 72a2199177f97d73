using System.Buffers;
using System.Collections.Concurrent;

namespace Analytics.Sidecar.Catalog;

/// <summary>
/// Turns observed paths into operation templates: segments that are ids (numbers, UUIDs,
/// hashes, long random tokens, e-mail addresses, dates) become parameters, so /users/123 and
/// /users/456 are one operation; words stay (/users/me). A position that keeps showing new
/// values under the same prefix is also learned as a parameter (bounded counting).
/// </summary>
internal sealed class PathTemplater
{
    private static readonly SearchValues<char> HexChars = SearchValues.Create("0123456789abcdefABCDEF");
    private readonly int _cardinalityLimit;
    private readonly int _maxTrackedPrefixes;
    private readonly ConcurrentDictionary<string, SegmentValues> _seen = new(StringComparer.Ordinal);
    // Every proxied request templates its path: known prefixes and values are looked up by span, without allocating or locking.
    private readonly ConcurrentDictionary<string, SegmentValues>.AlternateLookup<ReadOnlySpan<char>> _seenBySpan;
    private int _tracked;

    public PathTemplater(int cardinalityLimit = 50, int maxTrackedPrefixes = 5000)
    {
        _cardinalityLimit = cardinalityLimit;
        _maxTrackedPrefixes = maxTrackedPrefixes;
        _seenBySpan = _seen.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Template(string canonicalPath)
    {
        var span = canonicalPath.AsSpan();
        if (span.IsEmpty || span is "/")
        {
            return "/";
        }

        // A segment of one character becomes at most "/{param}": eight characters for every two.
        var rented = ArrayPool<char>.Shared.Rent((canonicalPath.Length * 4) + 8);
        try
        {
            var written = 0;
            var trimmed = span.Trim('/');
            foreach (var range in trimmed.Split('/'))
            {
                var segment = trimmed[range];
                ReadOnlySpan<char> prefix = written == 0 ? "/" : rented.AsSpan(0, written);
                var kind = Classify(segment);
                if (kind is null && Learned(prefix, segment))
                {
                    kind = "{param}";
                }

                rented[written++] = '/';
                var part = kind is null ? segment : kind.AsSpan();
                part.CopyTo(rented.AsSpan(written));
                written += part.Length;
            }

            return new string(rented, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

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

    /// <summary>True once more than the limit of distinct values appeared after <paramref name="prefix"/>.</summary>
    private bool Learned(ReadOnlySpan<char> prefix, ReadOnlySpan<char> segment)
    {
        if (_seenBySpan.TryGetValue(prefix, out var values))
        {
            return values.Observe(segment, _cardinalityLimit);
        }

        if (Interlocked.Increment(ref _tracked) <= _maxTrackedPrefixes)
        {
            _seen.TryAdd(prefix.ToString(), new SegmentValues(segment.ToString()));
        }

        return false;
    }

    /// <summary>The distinct values seen at one position, until there are too many to be words.</summary>
    private sealed class SegmentValues
    {
        private readonly ConcurrentDictionary<string, byte> _values = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, byte>.AlternateLookup<ReadOnlySpan<char>> _valuesBySpan;
        private volatile bool _isParameter;

        public SegmentValues(string first)
        {
            _valuesBySpan = _values.GetAlternateLookup<ReadOnlySpan<char>>();
            _values[first] = 0;
        }

        /// <summary>Records a value; true when the position is a parameter.</summary>
        public bool Observe(ReadOnlySpan<char> segment, int limit)
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

                if (_values.Count >= limit && !_valuesBySpan.ContainsKey(segment))
                {
                    // Too many distinct values: stop counting (memory stays bounded) and call it a parameter.
                    _isParameter = true;
                    _values.Clear();
                    return true;
                }

                _valuesBySpan.TryAdd(segment, 0);
                return false;
            }
        }
    }
}
