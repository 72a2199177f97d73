using System.Buffers;

namespace Analytics.Inspection.Detectors;

/// <summary>Span helpers the detectors share; all ordinal, case-insensitive where the grammar is.</summary>
internal static class Text
{
    public static bool Has(ReadOnlySpan<char> s, string needle) => s.Contains(needle, StringComparison.OrdinalIgnoreCase);

    /// <summary>Where <paramref name="word"/> next starts at or after <paramref name="from"/> (case-insensitive unless told), or -1.</summary>
    public static int IndexOf(ReadOnlySpan<char> s, string word, int from, StringComparison comparison = StringComparison.OrdinalIgnoreCase)
    {
        if (from >= s.Length)
        {
            return -1;
        }

        var i = s[from..].IndexOf(word, comparison);
        return i < 0 ? -1 : from + i;
    }

    /// <summary>
    /// The value with its tabs read as spaces, since a shell and cmd.exe split words at both ("which\tperl" is
    /// "which perl"), with <paramref name="chars"/> updated to it; the same instance when it has no tab.
    /// </summary>
    public static string TabsAsSpaces(string value, ref ValueChars chars)
    {
        if (!chars.Has('\t'))
        {
            return value;
        }

        value = value.Replace('\t', ' ');
        chars = ValueChars.Of(value);
        return value;
    }

    /// <summary>Where <paramref name="c"/> next stands at or after <paramref name="from"/>, or -1.</summary>
    public static int IndexOf(ReadOnlySpan<char> s, char c, int from)
    {
        if (from >= s.Length)
        {
            return -1;
        }

        var i = s[from..].IndexOf(c);
        return i < 0 ? -1 : from + i;
    }

    /// <summary>A multi-string matcher (case-insensitive) for a needle list.</summary>
    public static NeedleSet Set(string[] needles) => new(needles);

    public static bool HasAny(ReadOnlySpan<char> s, NeedleSet needles) => needles.IsIn(s);

    public static bool HasAny(ReadOnlySpan<char> s, string[] needles)
    {
        foreach (var n in needles)
        {
            if (s.Contains(n, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value with whitespace and control characters removed, which browsers ignore inside "java\tscript:"; same instance when there is none.</summary>
    public static string Compact(string value)
    {
        var span = value.AsSpan();
        var first = -1;
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] <= ' ')
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return value;
        }

        var buffer = ArrayPool<char>.Shared.Rent(span.Length);
        try
        {
            var n = 0;
            foreach (var c in span)
            {
                if (c > ' ')
                {
                    buffer[n++] = c;
                }
            }

            return new string(buffer, 0, n);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The word starting at <paramref name="start"/> (letters, digits, '_', '-', '.').</summary>
    public static ReadOnlySpan<char> WordAt(ReadOnlySpan<char> s, int start)
    {
        var end = start;
        while (end < s.Length && (char.IsAsciiLetterOrDigit(s[end]) || s[end] is '_' or '-' or '.'))
        {
            end++;
        }

        return s[start..end];
    }
}
