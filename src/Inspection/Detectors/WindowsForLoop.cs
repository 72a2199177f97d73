namespace Analytics.Inspection.Detectors;

/// <summary>
/// cmd.exe's loop, <c>for [/d | /r [path] | /l | /f ["options"]] %var in (set) do command</c>: the
/// only cmd construct that runs a command per item, and a shape prose does not take (a word after
/// "for" that starts with '%', then "in (", then "do").
/// </summary>
internal static class WindowsForLoop
{
    private const int MaxHead = 160;

    /// <summary>True when <paramref name="s"/> holds a cmd <c>for … in (…) do</c> loop.</summary>
    public static bool IsIn(ReadOnlySpan<char> s)
    {
        for (var at = s.IndexOf("for", StringComparison.OrdinalIgnoreCase); at >= 0; at = Text.IndexOf(s, "for", at + 3))
        {
            if ((at > 0 && char.IsAsciiLetterOrDigit(s[at - 1])) || at + 3 >= s.Length || s[at + 3] is not (' ' or '\t'))
            {
                continue;
            }

            if (HasLoopAfter(s[(at + 3)..]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLoopAfter(ReadOnlySpan<char> rest)
    {
        var head = rest.Length > MaxHead ? rest[..MaxHead] : rest;
        // The loop variable: a word that starts with '%' (or '%%' in a batch file) after white space.
        for (var p = head.IndexOf('%'); p >= 0; p = NextPercent(head, p))
        {
            if (p == 0 || head[p - 1] is not (' ' or '\t'))
            {
                continue;
            }

            var i = p;
            while (i < rest.Length && rest[i] == '%')
            {
                i++;
            }

            var varStart = i;
            while (i < rest.Length && rest[i] is not (' ' or '\t'))
            {
                i++;
            }

            if (i == varStart || i - varStart > 32)
            {
                continue;
            }

            i = SkipSpaces(rest, i);
            if (i + 2 > rest.Length || !rest[i..(i + 2)].Equals("in", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            i = SkipSpaces(rest, i + 2);
            if (i >= rest.Length || rest[i] != '(')
            {
                continue;
            }

            var close = rest[i..].IndexOf(')');
            if (close < 0)
            {
                continue;
            }

            i = SkipSpaces(rest, i + close + 1);
            if (i + 2 <= rest.Length && rest[i..(i + 2)].Equals("do", StringComparison.OrdinalIgnoreCase)
                && (i + 2 == rest.Length || !char.IsAsciiLetterOrDigit(rest[i + 2])))
            {
                return true;
            }
        }

        return false;
    }

    private static int SkipSpaces(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static int NextPercent(ReadOnlySpan<char> s, int p)
    {
        // Past the whole run of '%' so "%%a" is judged once, from its first '%'.
        while (p < s.Length && s[p] == '%')
        {
            p++;
        }

        var n = s[p..].IndexOf('%');
        return n < 0 ? -1 : p + n;
    }
}
