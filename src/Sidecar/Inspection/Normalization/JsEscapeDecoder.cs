using System.Globalization;
using System.Text;

namespace Analytics.Sidecar.Inspection.Normalization;

/// <summary>
/// Decodes JavaScript string escapes (<c>\x6A</c>, <c>\u006A</c>, <c>\u{6A}</c>, octal <c>\152</c>,
/// <c>\n</c>, and the identity escapes <c>\a</c> = <c>a</c>) as a script or a URL parser that
/// unescapes does, because payloads spell <c>javascript:</c> and <c>alert</c> that way to pass
/// filters that look for the plain words. Returns the same instance when the value has no escape.
/// </summary>
internal static class JsEscapeDecoder
{
    public static string Decode(string value)
    {
        var first = value.IndexOf('\\', StringComparison.Ordinal);
        if (first < 0 || first == value.Length - 1)
        {
            return value;
        }

        var s = value.AsSpan();
        var sb = new StringBuilder(value.Length);
        sb.Append(s[..first]);
        for (var i = first; i < s.Length; i++)
        {
            var c = s[i];
            if (c != '\\' || i + 1 >= s.Length)
            {
                sb.Append(c);
                continue;
            }

            var e = s[i + 1];
            switch (e)
            {
                case 'x' when i + 3 < s.Length && IsHex(s[i + 2]) && IsHex(s[i + 3]):
                    sb.Append((char)int.Parse(s.Slice(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 3;
                    break;
                case 'u' when i + 5 < s.Length && IsHex(s[i + 2]) && IsHex(s[i + 3]) && IsHex(s[i + 4]) && IsHex(s[i + 5]):
                    sb.Append((char)int.Parse(s.Slice(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 5;
                    break;
                case 'u' when i + 3 < s.Length && s[i + 2] == '{':
                    var close = s[(i + 3)..].IndexOf('}');
                    if (close is > 0 and <= 6 && int.TryParse(s.Slice(i + 3, close), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp) && cp <= 0x10FFFF
                        && cp is < 0xD800 or > 0xDFFF)
                    {
                        sb.Append(char.ConvertFromUtf32(cp));
                        i += 3 + close;
                    }
                    else
                    {
                        sb.Append('u');
                        i++;
                    }

                    break;
                case >= '0' and <= '7':
                    // Legacy octal: up to three digits, at most \377.
                    var n = 0;
                    var k = i + 1;
                    while (k < s.Length && k < i + 4 && s[k] is >= '0' and <= '7' && n * 8 + (s[k] - '0') <= 255)
                    {
                        n = n * 8 + (s[k] - '0');
                        k++;
                    }

                    sb.Append((char)n);
                    i = k - 1;
                    break;
                case 'n':
                    sb.Append('\n');
                    i++;
                    break;
                case 'r':
                    sb.Append('\r');
                    i++;
                    break;
                case 't':
                    sb.Append('\t');
                    i++;
                    break;
                case 'b' or 'f' or 'v':
                    sb.Append(' ');
                    i++;
                    break;
                default:
                    // An identity escape: "\a" is "a", "\:" is ":".
                    sb.Append(e);
                    i++;
                    break;
            }
        }

        return sb.ToString();
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
