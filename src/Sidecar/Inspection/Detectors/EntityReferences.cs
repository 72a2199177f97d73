using System.Collections.Frozen;

namespace Analytics.Sidecar.Inspection.Detectors;

/// <summary>
/// References to entities an XML document must declare itself: <c>&amp;xxe;</c> and the parameter
/// entity <c>%xxe;</c>. The five XML entities and the common HTML ones are text, and so is a
/// numeric reference; an unknown name followed by ';' is what an XXE payload expands.
/// </summary>
internal static class EntityReferences
{
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Known =
        new[]
        {
            "lt", "gt", "amp", "quot", "apos", "nbsp", "copy", "reg", "trade", "hellip", "mdash", "ndash", "lsquo", "rsquo", "ldquo", "rdquo",
            "laquo", "raquo", "bull", "middot", "euro", "pound", "yen", "cent", "sect", "para", "deg", "plusmn", "times", "divide", "frac12",
            "frac14", "frac34", "sup2", "sup3", "micro", "shy", "iexcl", "iquest", "ordf", "ordm", "not", "macr", "acute", "cedil", "uml",
            "colon", "semi", "comma", "period", "excl", "quest", "num", "dollar", "percnt", "lpar", "rpar", "ast", "plus", "equals", "sol",
            "bsol", "lsqb", "rsqb", "lbrace", "rbrace", "lowbar", "grave", "verbar", "tilde", "hat", "tab", "newline", "zwj", "zwnj", "lrm",
            "rlm", "ensp", "emsp", "thinsp", "larr", "rarr", "uarr", "darr", "harr", "hearts", "spades", "clubs", "diams", "check", "cross",
            "infin", "ne", "le", "ge", "asymp", "sum", "prod", "radic", "part", "alpha", "beta", "gamma", "delta", "pi", "sigma", "omega", "mu",
        }.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>An <c>&amp;name;</c> or <c>%name;</c> whose name is not a known entity (accented letters like <c>&amp;eacute;</c> count as known).</summary>
    public static bool HasCustom(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] is not ('&' or '%'))
            {
                continue;
            }

            var start = i + 1;
            if (start >= s.Length || !(char.IsAsciiLetter(s[start]) || s[start] == '_'))
            {
                continue;
            }

            var end = start;
            while (end < s.Length && end - start <= 32 && (char.IsAsciiLetterOrDigit(s[end]) || s[end] is '_' or '-' or '.'))
            {
                end++;
            }

            if (end >= s.Length || s[end] != ';' || end - start < (s[i] == '%' ? 3 : 2))
            {
                continue;
            }

            var name = s[start..end];
            if (!Known.Contains(name) && !IsLatinLetterEntity(name))
            {
                return true;
            }

            i = end;
        }

        return false;
    }

    /// <summary>eacute, Ntilde, auml, ccedil, oslash, aring, szlig: HTML's named letters.</summary>
    private static bool IsLatinLetterEntity(ReadOnlySpan<char> name)
    {
        foreach (var suffix in (ReadOnlySpan<string>)["acute", "grave", "circ", "tilde", "uml", "cedil", "slash", "ring", "lig", "zlig", "caron"])
        {
            if (name.Length == suffix.Length + 1 && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return name.Equals("szlig", StringComparison.OrdinalIgnoreCase) || name.Equals("eth", StringComparison.OrdinalIgnoreCase) || name.Equals("thorn", StringComparison.OrdinalIgnoreCase);
    }
}
