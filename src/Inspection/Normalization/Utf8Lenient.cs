using System.Buffers;

namespace Analytics.Inspection.Normalization;

/// <summary>
/// UTF-8 decoding that never throws and never hides evasion: overlong sequences decode to the
/// character they encode (as old IIS did, so detectors see the '/' or '.' an attacker meant)
/// and set <see cref="DecodeFlags.OverlongUtf8"/>; other invalid bytes decode as Latin-1.
/// </summary>
internal static class Utf8Lenient
{
    public static string Decode(ReadOnlySpan<byte> bytes, ref DecodeFlags flags)
    {
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length + 1);
        try
        {
            var n = 0;
            for (var i = 0; i < bytes.Length;)
            {
                var b = bytes[i];
                if (b < 0x80)
                {
                    chars[n++] = (char)b;
                    i++;
                    continue;
                }

                var len = b >= 0xF0 && b <= 0xF7 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
                if (IsOverlongLead(bytes[i..]))
                {
                    flags |= DecodeFlags.OverlongUtf8;
                }

                if (len == 0 || b > 0xF7 || i + len > bytes.Length || !Continuations(bytes.Slice(i + 1, len - 1)))
                {
                    // Not UTF-8: a Latin-1 byte (e.g. %F1 for ñ in legacy forms).
                    chars[n++] = (char)b;
                    flags |= DecodeFlags.InvalidUtf8;
                    i++;
                    continue;
                }

                var cp = len switch
                {
                    2 => ((b & 0x1F) << 6) | (bytes[i + 1] & 0x3F),
                    3 => ((b & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F),
                    _ => ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3F) << 12) | ((bytes[i + 2] & 0x3F) << 6) | (bytes[i + 3] & 0x3F),
                };
                var minimum = len switch { 2 => 0x80, 3 => 0x800, _ => 0x10000 };
                if (cp < minimum)
                {
                    flags |= DecodeFlags.OverlongUtf8;
                }

                if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                {
                    chars[n++] = '\uFFFD';
                    flags |= DecodeFlags.InvalidUtf8;
                }
                else if (cp >= 0x10000)
                {
                    var s = char.ConvertFromUtf32(cp);
                    chars[n++] = s[0];
                    chars[n++] = s[1];
                }
                else
                {
                    chars[n++] = (char)cp;
                }

                i += len;
            }

            return new string(chars, 0, n);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>
    /// Lead bytes no correct encoder emits: C0/C1 (always overlong) unless they read as Latin-1
    /// 'À'/'Á' before a letter or digit, and the obsolete 5- and 6-byte forms (F8–FD) when continuation
    /// bytes follow — the dotdotpwn family of '/' and '.' spellings.
    /// </summary>
    private static bool IsOverlongLead(ReadOnlySpan<byte> s)
    {
        var b = s[0];
        if (b is 0xC0 or 0xC1)
        {
            return s.Length == 1 || (s[1] & 0xC0) == 0x80 || !(char.IsAsciiLetterOrDigit((char)s[1]) || s[1] >= 0x80);
        }

        return b >= 0xF8 && b <= 0xFD && s.Length > 1 && (s[1] & 0xC0) == 0x80;
    }

    private static bool Continuations(ReadOnlySpan<byte> tail)
    {
        foreach (var t in tail)
        {
            if ((t & 0xC0) != 0x80)
            {
                return false;
            }
        }

        return true;
    }
}
