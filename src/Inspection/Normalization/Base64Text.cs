using System.Text;

namespace Analytics.Inspection.Normalization;

/// <summary>
/// A value that is nothing but base64 (standard or URL-safe, padded or not) of printable ASCII text,
/// decoded; anything else, or longer than <see cref="MaxLength"/>, is null. Most base64-shaped values
/// (words, ids, hashes, tokens) decode to binary, and the first three bytes tell.
/// </summary>
internal static class Base64Text
{
    private const int MinLength = 8;

    private const int MaxLength = 512;

    public static string? DecodePrintable(ReadOnlySpan<char> s)
    {
        if (s.Length < MinLength || s.Length > MaxLength)
        {
            return null;
        }

        var padded = (s.Length + 3) & ~3;
        if (padded - s.Length == 3)
        {
            // One character of a quantum carries 6 bits, not a byte: not base64.
            return null;
        }

        Span<char> chars = stackalloc char[padded];
        for (var i = 0; i < s.Length; i++)
        {
            chars[i] = s[i] switch { '-' => '+', '_' => '/', var c => c };
        }

        chars[s.Length..].Fill('=');
        Span<byte> bytes = stackalloc byte[padded / 4 * 3];
        if (!Convert.TryFromBase64Chars(chars[..4], bytes, out var head) || !IsPrintable(bytes[..head])
            || !Convert.TryFromBase64Chars(chars, bytes, out var n) || !IsPrintable(bytes[..n]))
        {
            return null;
        }

        return Encoding.ASCII.GetString(bytes[..n]);
    }

    private static bool IsPrintable(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is (< 0x20 or > 0x7E) and not ((byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
