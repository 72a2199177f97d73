namespace Analytics.Inspection.Detectors;

/// <summary>
/// The proof-of-concept shape of script injection, read as JavaScript tokens: a dialog function
/// (<c>alert</c>, <c>prompt</c>, <c>confirm</c>) called with a probe argument (a number, a regex,
/// <c>document.domain</c>, <c>String.fromCharCode</c>), called through a quoted property
/// (<c>top['alert'](1)</c>), or passed as a value into a call (<c>[1].find(alert)</c>,
/// <c>a=alert,a(1)</c>). Application code calls dialogs with messages (<c>confirm("Delete?")</c>),
/// and prose names them without JavaScript punctuation around them; neither matches.
/// </summary>
internal static class DialogProbeFinder
{
    private static readonly string[] Dialogs = ["alert", "prompt", "confirm"];

    public static bool Has(ReadOnlySpan<char> s)
    {
        foreach (var name in Dialogs)
        {
            for (var at = Text.IndexOf(s, name, 0); at >= 0; at = Text.IndexOf(s, name, at + name.Length))
            {
                if (IsProbe(s, at, name.Length))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsProbe(ReadOnlySpan<char> s, int at, int length)
    {
        var before = at == 0 ? '\0' : s[at - 1];
        var end = at + length;
        if (char.IsAsciiLetterOrDigit(before) || before == '_' || (end < s.Length && (char.IsAsciiLetterOrDigit(s[end]) || s[end] == '_')))
        {
            return false;
        }

        // top['alert'](1), window["confirm"]`1`: the name quoted inside a property access that is called.
        if (before is '\'' or '"' or '`' && at >= 2 && s[at - 2] == '[' && end + 1 < s.Length && s[end] == before && s[end + 1] == ']')
        {
            var k = SkipSpaces(s, end + 2);
            return k < s.Length && s[k] is '(' or '`';
        }

        // "prompt (1)" is how prose numbers a list; a script call has no space.
        if (end < s.Length && s[end] is '(' or '`')
        {
            return IsProbeArgument(s[(end + 1)..]);
        }

        var next = SkipSpaces(s, end);

        // alert passed as a value: "=alert," "(alert)" "[alert]" and a call elsewhere in the value.
        var prev = at - 1;
        while (prev >= 0 && s[prev] == ' ')
        {
            prev--;
        }

        var p = prev < 0 ? '\0' : s[prev];
        var n = next < s.Length ? s[next] : '\0';
        return p is '=' or '(' or ',' or '[' && n is ',' or ')' or ']' or ';' && s.Contains('(');
    }

    /// <summary>What a probe passes: a number, a regex literal, a document or window property, a char-code string.</summary>
    private static bool IsProbeArgument(ReadOnlySpan<char> arg)
    {
        var a = arg.TrimStart();
        if (a.IsEmpty)
        {
            return false;
        }

        if (char.IsAsciiDigit(a[0]))
        {
            var d = 0;
            while (d < a.Length && (char.IsAsciiDigit(a[d]) || a[d] == '.'))
            {
                d++;
            }

            var rest = a[d..].TrimStart();
            return rest.IsEmpty || rest[0] is ')' or '`' or ',';
        }

        if (a[0] == '/' && a.Length > 2 && a[1..].IndexOf('/') > 0)
        {
            return true;
        }

        foreach (var prefix in (ReadOnlySpan<string>)["document.", "window.", "top.", "self.", "this", "string.fromcharcode", "origin", "location", "'xss", "\"xss", "/xss"])
        {
            if (a.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static int SkipSpaces(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\r')
        {
            i++;
        }

        return i;
    }
}
