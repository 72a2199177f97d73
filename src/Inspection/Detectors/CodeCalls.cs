using System.Collections.Frozen;

namespace Analytics.Inspection.Detectors;

/// <summary>
/// Finds calls of named functions in a value: a listed name on a word boundary, then optional
/// white space or <c>/**/</c> comments, then '('. Names that are also English words ("system",
/// "file") only count when the argument looks like code (a quote, '$', a backtick, an empty
/// call or a nested call), so "file (pdf)" in prose does not.
/// </summary>
internal sealed class CodeCalls
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _names;

    public CodeCalls(IEnumerable<string> names) =>
        _names = names.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>True when <paramref name="s"/> calls one of the names.</summary>
    public bool IsIn(ReadOnlySpan<char> s)
    {
        for (var p = s.IndexOf('('); p > 0; p = Next(s, p))
        {
            // Walk back over white space and comments to the name's end.
            var end = p;
            while (end > 0 && (s[end - 1] is ' ' or '\t' or '\n' or '\r'))
            {
                end--;
            }

            while (end >= 4 && s[end - 1] == '/' && s[end - 2] == '*')
            {
                var open = s[..(end - 2)].LastIndexOf("/*", StringComparison.Ordinal);
                if (open < 0)
                {
                    break;
                }

                end = open;
                while (end > 0 && (s[end - 1] is ' ' or '\t'))
                {
                    end--;
                }
            }

            var start = end;
            while (start > 0 && (char.IsAsciiLetterOrDigit(s[start - 1]) || s[start - 1] == '_'))
            {
                start--;
            }

            if (start == end || !_names.Contains(s[start..end]))
            {
                continue;
            }

            // A method of something else ("obj.system(") is still a call; a longer identifier is not.
            if (s[start..end].Contains('_') || ArgumentLooksLikeCode(s[(p + 1)..]))
            {
                return true;
            }
        }

        return false;
    }

    private static int Next(ReadOnlySpan<char> s, int p)
    {
        var n = s[(p + 1)..].IndexOf('(');
        return n < 0 ? -1 : p + 1 + n;
    }

    private static bool ArgumentLooksLikeCode(ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart();
        if (rest.IsEmpty)
        {
            return false;
        }

        if (rest[0] is '\'' or '"' or '$' or '`' or ')' or '@' or '[')
        {
            return true;
        }

        var close = rest.IndexOf(')');
        var inner = close < 0 ? rest : rest[..close];
        return inner.Contains('(') || inner.Contains('$');
    }
}
