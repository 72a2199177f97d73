namespace Analytics.Inspection.Detectors;

/// <summary>
/// A property of a global object whose name is computed so that no filter sees it: string pieces
/// joined (<c>top["al"+"ert"](1)</c>, <c>window['ev'+'al'](…)</c>) and called, or a name decoded at run
/// time (<c>self[atob('YWxlcnQ=')]</c>, <c>window[String.fromCharCode(97,108)]</c>). Application code
/// computes names from variables (<c>window[callbackName](data)</c>, <c>window['on' + type]</c>); joining
/// two literals is only worth doing to hide the word.
/// </summary>
internal static class ComputedCallFinder
{
    private static readonly string[] Globals = ["window", "top", "self", "parent", "frames", "globalthis", "opener", "content"];

    private static readonly string[] Decoders = ["atob(", "fromcharcode(", "unescape(", "decodeuri", ".reverse(", ".join(", ".concat("];

    public static bool Has(ReadOnlySpan<char> s)
    {
        for (var open = s.IndexOf('['); open > 0; open = Text.IndexOf(s, '[', open + 1))
        {
            if (!AfterGlobal(s, open))
            {
                continue;
            }

            var close = Closing(s, open);
            if (close < 0)
            {
                return false;
            }

            var inner = s[(open + 1)..close];
            if (HasDecoder(inner))
            {
                return true;
            }

            var k = close + 1;
            while (k < s.Length && s[k] is ' ' or '\t' or '\n' or '\r')
            {
                k++;
            }

            if (k < s.Length && s[k] is '(' or '`' && JoinsLiterals(inner))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AfterGlobal(ReadOnlySpan<char> s, int open)
    {
        var w = open;
        while (w > 0 && char.IsAsciiLetter(s[w - 1]))
        {
            w--;
        }

        if (w == open || (w > 0 && (char.IsAsciiDigit(s[w - 1]) || s[w - 1] is '_' or '$')))
        {
            return false;
        }

        var word = s[w..open];
        foreach (var g in Globals)
        {
            if (word.Equals(g, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The matching ']' within 256 characters, or -1.</summary>
    private static int Closing(ReadOnlySpan<char> s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length && i - open <= 256; i++)
        {
            if (s[i] == '[')
            {
                depth++;
            }
            else if (s[i] == ']' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool HasDecoder(ReadOnlySpan<char> inner)
    {
        foreach (var d in Decoders)
        {
            if (inner.Contains(d, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A quoted literal, '+', and another quoted literal.</summary>
    private static bool JoinsLiterals(ReadOnlySpan<char> inner)
    {
        for (var i = 0; i < inner.Length; i++)
        {
            var q = inner[i];
            if (q is not ('\'' or '"' or '`'))
            {
                continue;
            }

            var end = inner[(i + 1)..].IndexOf(q);
            if (end < 0)
            {
                return false;
            }

            var k = i + 1 + end + 1;
            while (k < inner.Length && inner[k] is ' ' or '\t')
            {
                k++;
            }

            if (k < inner.Length && inner[k] == '+')
            {
                k++;
                while (k < inner.Length && inner[k] is ' ' or '\t')
                {
                    k++;
                }

                if (k < inner.Length && inner[k] is '\'' or '"' or '`')
                {
                    return true;
                }
            }

            i += end + 1;
        }

        return false;
    }
}
