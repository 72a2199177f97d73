namespace Analytics.Inspection.Detectors;

/// <summary>
/// A member of a browser global reached with a comment, parentheses or an escaped name in between, the way
/// filters that look for "document.cookie" are slipped: <c>document/*x*/.cookie</c>, <c>self[/*x*/"alert"]</c>,
/// <c>(document)["cookie"]</c>, <c>top["\x61lert"]</c>. Plain <c>document.cookie</c> is the XSS detector's sink.
/// </summary>
internal static class JsMemberEvasion
{
    private static readonly string[] Globals = ["document", "window", "self", "top", "parent", "globalThis", "frames", "this"];

    /// <summary>True when a global's member access in <paramref name="s"/> is broken up by a comment, parentheses or escapes.</summary>
    public static bool IsIn(ReadOnlySpan<char> s)
    {
        foreach (var g in Globals)
        {
            for (var at = s.IndexOf(g, StringComparison.OrdinalIgnoreCase); at >= 0; at = Text.IndexOf(s, g, at + g.Length))
            {
                var end = at + g.Length;
                if ((at > 0 && IsIdentifierChar(s[at - 1])) || (end < s.Length && IsIdentifierChar(s[end])))
                {
                    continue;
                }

                if (IsEvasiveAccess(s, at, end))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsEvasiveAccess(ReadOnlySpan<char> s, int at, int i)
    {
        var evasive = false;
        var parenthesised = false;
        i = SkipSpacesAndComments(s, i, ref evasive);
        if (i < s.Length && s[i] == ')')
        {
            // "(document)[…]": parentheses around the global only serve to break the pattern.
            var back = at - 1;
            while (back >= 0 && s[back] is ' ' or '\t')
            {
                back--;
            }

            if (back < 0 || s[back] != '(')
            {
                return false;
            }

            parenthesised = true;
            i = SkipSpacesAndComments(s, i + 1, ref evasive);
        }

        if (i >= s.Length || s[i] is not ('.' or '['))
        {
            return false;
        }

        var bracket = s[i] == '[';
        i = SkipSpacesAndComments(s, i + 1, ref evasive);
        if (i >= s.Length)
        {
            return false;
        }

        if (bracket)
        {
            if (s[i] is not ('"' or '\'' or '`'))
            {
                return false;
            }

            var close = s[(i + 1)..].IndexOf(s[i]);
            if (close < 0)
            {
                return false;
            }

            var name = s[(i + 1)..(i + 1 + close)];
            evasive |= name.Contains("\\x", StringComparison.OrdinalIgnoreCase) || name.Contains("\\u", StringComparison.OrdinalIgnoreCase);
            return (evasive || parenthesised) && name.Length > 0;
        }

        // "(this). Then" ends a sentence; only a comment makes the dotted form evasive.
        return evasive && (char.IsAsciiLetter(s[i]) || s[i] is '_' or '$');
    }

    private static int SkipSpacesAndComments(ReadOnlySpan<char> s, int i, ref bool comment)
    {
        while (i < s.Length)
        {
            if (s[i] is ' ' or '\t' or '\r' or '\n')
            {
                i++;
            }
            else if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                var close = s[(i + 2)..].IndexOf("*/", StringComparison.Ordinal);
                if (close < 0)
                {
                    return s.Length;
                }

                comment = true;
                i += close + 4;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';
}
