using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Analytics.Sidecar.Catalog;

/// <summary>
/// Turns observed paths into operation templates: segments that are ids (numbers, UUIDs,
/// hashes, long random tokens, e-mail addresses, dates) become parameters, so /users/123 and
/// /users/456 are one operation; words stay (/users/me). A position that keeps showing new
/// values under the same prefix is also learned as a parameter (bounded counting).
/// </summary>
internal sealed class PathTemplater(int cardinalityLimit = 50, int maxTrackedPrefixes = 5000)
{
    private static readonly SearchValues<char> HexChars = SearchValues.Create("0123456789abcdefABCDEF");
    private readonly ConcurrentDictionary<string, HashSet<string>?> _seen = new(StringComparer.Ordinal);

    public string Template(string canonicalPath)
    {
        var span = canonicalPath.AsSpan();
        if (span.IsEmpty || span is "/")
        {
            return "/";
        }

        var sb = new StringBuilder(canonicalPath.Length);
        foreach (var range in span.Trim('/').Split('/'))
        {
            var segment = span.Trim('/')[range];
            var prefix = sb.Length == 0 ? "/" : sb.ToString();
            var kind = Classify(segment);
            if (kind is null && Learned(prefix, segment))
            {
                kind = "{param}";
            }

            sb.Append('/');
            if (kind is not null)
            {
                sb.Append(kind);
            }
            else
            {
                sb.Append(segment);
            }
        }

        return sb.ToString();
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
    private bool Learned(string prefix, ReadOnlySpan<char> segment)
    {
        if (_seen.TryGetValue(prefix, out var values))
        {
            if (values is null)
            {
                return true;
            }

            lock (values)
            {
                if (values.Count >= cardinalityLimit && !values.Contains(segment.ToString()))
                {
                    // Too many distinct values: stop counting (memory stays bounded) and call it a parameter.
                    _seen[prefix] = null;
                    return true;
                }

                values.Add(segment.ToString());
            }

            return false;
        }

        if (_seen.Count < maxTrackedPrefixes)
        {
            _seen.TryAdd(prefix, [segment.ToString()]);
        }

        return false;
    }
}
