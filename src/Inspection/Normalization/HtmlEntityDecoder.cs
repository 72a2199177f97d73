using System.Text;

namespace Analytics.Inspection.Normalization;

/// <summary>
/// Decodes HTML character references (<c>&amp;#106;</c>, <c>&amp;#x6A</c>, <c>&amp;lt;</c>,
/// <c>&amp;colon;</c> …), with or without the closing ';' as browsers accept them, because
/// markup in a value is interpreted after entity decoding. Returns the same instance when
/// the value has no reference.
/// </summary>
internal static class HtmlEntityDecoder
{
    private static readonly (string Name, char Value)[] Named =
    [
        ("lt", '<'), ("gt", '>'), ("quot", '"'), ("apos", '\''), ("amp", '&'), ("colon", ':'),
        ("tab", '\t'), ("newline", '\n'), ("lpar", '('), ("rpar", ')'), ("sol", '/'), ("bsol", '\\'),
        ("semi", ';'), ("comma", ','), ("period", '.'), ("excl", '!'), ("equals", '='), ("num", '#'),
        ("lsqb", '['), ("rsqb", ']'), ("lbrace", '{'), ("rbrace", '}'), ("grave", '`'), ("nbsp", ' '),
    ];

    public static string Decode(string value)
    {
        var first = value.IndexOf('&', StringComparison.Ordinal);
        if (first < 0)
        {
            return value;
        }

        StringBuilder? sb = null;
        var span = value.AsSpan();
        var copied = 0;
        for (var i = first; i < span.Length; i++)
        {
            if (span[i] != '&' || i + 2 >= span.Length)
            {
                continue;
            }

            if (!TryReference(span[(i + 1)..], out var decoded, out var consumed))
            {
                continue;
            }

            sb ??= new StringBuilder(value.Length);
            sb.Append(span[copied..i]);
            if (decoded > 0xFFFF)
            {
                sb.Append(char.ConvertFromUtf32(decoded));
            }
            else
            {
                sb.Append((char)decoded);
            }

            i += consumed;
            copied = i + 1;
        }

        if (sb is null)
        {
            return value;
        }

        sb.Append(span[copied..]);
        return sb.ToString();
    }

    private static bool TryReference(ReadOnlySpan<char> s, out int value, out int consumed)
    {
        value = 0;
        consumed = 0;
        if (s[0] == '#')
        {
            var hex = s.Length > 1 && (s[1] == 'x' || s[1] == 'X');
            var j = hex ? 2 : 1;
            var start = j;
            long v = 0;
            while (j < s.Length && j - start < 10 && (hex ? char.IsAsciiHexDigit(s[j]) : char.IsAsciiDigit(s[j])))
            {
                v = v * (hex ? 16 : 10) + (hex ? PercentDecoder.HexValue(s[j]) : s[j] - '0');
                j++;
            }

            if (j == start || v > 0x10FFFF)
            {
                return false;
            }

            if (j < s.Length && s[j] == ';')
            {
                j++;
            }

            value = (int)v;
            consumed = j;
            return !(value >= 0xD800 && value <= 0xDFFF);
        }

        foreach (var (name, ch) in Named)
        {
            if (s.Length >= name.Length && s[..name.Length].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                var j = name.Length;
                if (j < s.Length && s[j] == ';')
                {
                    j++;
                }
                else if (j < s.Length && char.IsAsciiLetterOrDigit(s[j]))
                {
                    continue;
                }

                value = ch;
                consumed = j;
                return true;
            }
        }

        return false;
    }
}
