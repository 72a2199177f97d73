namespace Analytics.Inspection.Detectors;

/// <summary>
/// CSS that runs script through <c>url()</c>: a script scheme inside it (<c>url(javascript:…)</c>, or
/// <c>url(javascript</c> cut at the end of the value, the page supplying the rest), and the
/// Firefox XBL (<c>-moz-binding</c>) and IE HTC (<c>behavior</c>) properties, whose url() loads code.
/// A file named after the language (<c>url(javascript-logo.svg)</c>) and <c>-moz-binding: none</c> are
/// ordinary CSS.
/// </summary>
internal static class CssScriptUrlFinder
{
    public static bool Has(ReadOnlySpan<char> s)
    {
        for (var i = s.IndexOf("url(", StringComparison.OrdinalIgnoreCase); i >= 0; i = Text.IndexOf(s, "url(", i + 4))
        {
            var j = i + 4;
            while (j < s.Length && s[j] is ' ' or '\t' or '"' or '\'')
            {
                j++;
            }

            foreach (var scheme in (ReadOnlySpan<string>)["javascript", "vbscript", "livescript"])
            {
                var end = j + scheme.Length;
                if (s[j..].StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && (end == s.Length || s[end] is ':' or ')' or ' '))
                {
                    return true;
                }
            }

            if (IsBindingProperty(s[..i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the text before a url( ends with "-moz-binding:" or "behavior:" (spaces allowed).</summary>
    private static bool IsBindingProperty(ReadOnlySpan<char> before)
    {
        var t = before.TrimEnd(" \t");
        if (t.Length == 0 || t[^1] != ':')
        {
            return false;
        }

        t = t[..^1].TrimEnd(" \t");
        return t.EndsWith("-moz-binding", StringComparison.OrdinalIgnoreCase) || t.EndsWith("behavior", StringComparison.OrdinalIgnoreCase)
            || t.EndsWith("behaviour", StringComparison.OrdinalIgnoreCase);
    }
}
