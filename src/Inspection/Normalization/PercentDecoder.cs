using System.Buffers;

namespace Analytics.Inspection.Normalization;

/// <summary>
/// Percent-decoding repeated until the value is stable (bounded), with '+' as space for
/// query and form values on the first pass only (a later '+' came from %2B and is literal).
/// Bytes are decoded as UTF-8; overlong forms are decoded to the character they smuggle and
/// flagged, and other invalid bytes are read as Latin-1 so legacy forms stay readable.
/// </summary>
internal static class PercentDecoder
{
    public const int DefaultMaxPasses = 4;

    public static string Decode(string value, bool plusAsSpace, ref DecodeFlags flags, int maxPasses = DefaultMaxPasses)
    {
        var current = value;
        for (var pass = 0; pass < maxPasses; pass++)
        {
            var plus = plusAsSpace && pass == 0;
            if (current.AsSpan().IndexOfAny(plus ? "%+" : "%") < 0)
            {
                return current;
            }

            var next = DecodeOnce(current, plus, ref flags);
            if (ReferenceEquals(next, current) || next == current)
            {
                return current;
            }

            if (pass > 0)
            {
                flags |= DecodeFlags.MultipleEncoding;
            }

            flags |= DecodeFlags.PercentEncoded;
            current = next;
        }

        if (current.Contains('%', StringComparison.Ordinal) && !ReferenceEquals(DecodeOnce(current, false, ref flags), current))
        {
            flags |= DecodeFlags.DecodeBoundReached;
        }

        return current;
    }

    /// <summary>Counts '%' followed by two letters or digits that are not both hex ("%bg").</summary>
    private static void CheckInvalidEscapes(ReadOnlySpan<char> s, ref DecodeFlags flags)
    {
        var invalid = 0;
        for (var i = s.IndexOf('%'); i >= 0 && i + 2 < s.Length; i++)
        {
            if (s[i] == '%' && char.IsAsciiLetterOrDigit(s[i + 1]) && char.IsAsciiLetterOrDigit(s[i + 2]) && !(IsHex(s[i + 1]) && IsHex(s[i + 2]))
                && !((s[i + 1] | 0x20) == 'u' && i + 5 < s.Length && IsHex(s[i + 2])))
            {
                invalid++;
            }
        }

        if (invalid >= 2)
        {
            flags |= DecodeFlags.InvalidPercent;
        }
    }

    /// <summary>One pass; returns the same instance when nothing was decoded.</summary>
    public static string DecodeOnce(string value, bool plusAsSpace, ref DecodeFlags flags)
    {
        var span = value.AsSpan();
        CheckInvalidEscapes(span, ref flags);
        // Each char becomes at most 3 UTF-8 bytes (4 for a surrogate pair = 2 chars).
        var bytes = ArrayPool<byte>.Shared.Rent(span.Length * 3 + 4);
        try
        {
            var n = 0;
            var changed = false;
            for (var i = 0; i < span.Length; i++)
            {
                var c = span[i];
                if (c == '%')
                {
                    if (i + 2 < span.Length && IsHex(span[i + 1]) && IsHex(span[i + 2]))
                    {
                        bytes[n++] = (byte)((HexValue(span[i + 1]) << 4) | HexValue(span[i + 2]));
                        i += 2;
                        changed = true;
                        continue;
                    }

                    if (i + 5 < span.Length && (span[i + 1] == 'u' || span[i + 1] == 'U') && IsHex(span[i + 2]) && IsHex(span[i + 3]) && IsHex(span[i + 4]) && IsHex(span[i + 5]))
                    {
                        var cp = (HexValue(span[i + 2]) << 12) | (HexValue(span[i + 3]) << 8) | (HexValue(span[i + 4]) << 4) | HexValue(span[i + 5]);
                        n += EncodeUtf8(cp, bytes.AsSpan(n));
                        i += 5;
                        changed = true;
                        flags |= DecodeFlags.UnicodeEscape;
                        continue;
                    }

                    bytes[n++] = (byte)'%';
                    continue;
                }

                if (c == '+' && plusAsSpace)
                {
                    bytes[n++] = (byte)' ';
                    changed = true;
                    continue;
                }

                if (c < 0x80)
                {
                    bytes[n++] = (byte)c;
                }
                else if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
                {
                    n += EncodeUtf8(char.ConvertToUtf32(c, span[i + 1]), bytes.AsSpan(n));
                    i++;
                }
                else
                {
                    n += EncodeUtf8(c, bytes.AsSpan(n));
                }
            }

            return changed ? Utf8Lenient.Decode(bytes.AsSpan(0, n), ref flags) : value;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    internal static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    internal static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static int EncodeUtf8(int cp, Span<byte> dest)
    {
        if (cp < 0x80)
        {
            dest[0] = (byte)cp;
            return 1;
        }

        if (cp < 0x800)
        {
            dest[0] = (byte)(0xC0 | (cp >> 6));
            dest[1] = (byte)(0x80 | (cp & 0x3F));
            return 2;
        }

        if (cp < 0x10000)
        {
            dest[0] = (byte)(0xE0 | (cp >> 12));
            dest[1] = (byte)(0x80 | ((cp >> 6) & 0x3F));
            dest[2] = (byte)(0x80 | (cp & 0x3F));
            return 3;
        }

        dest[0] = (byte)(0xF0 | (cp >> 18));
        dest[1] = (byte)(0x80 | ((cp >> 12) & 0x3F));
        dest[2] = (byte)(0x80 | ((cp >> 6) & 0x3F));
        dest[3] = (byte)(0x80 | (cp & 0x3F));
        return 4;
    }
}
