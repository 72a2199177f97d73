using System.Buffers;
using System.Text;

namespace Analytics.Inspection.Normalization;

/// <summary>
/// A body's bytes as UTF-8, whatever the client declared: a UTF-8 byte-order mark is dropped
/// (a JSON body starting with one was not scanned at all before), and UTF-16 or UTF-32 — by
/// declared charset, by byte-order mark, or by the zero bytes of ASCII text in UTF-16 — is
/// transcoded into a pooled buffer the caller returns. Anything else is left as it is.
/// </summary>
internal static class BodyText
{
    public static ReadOnlySpan<byte> ToUtf8(ReadOnlySpan<byte> body, string contentType, out byte[]? rented)
    {
        rented = null;
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return body[3..];
        }

        var encoding = Declared(contentType) ?? Sniffed(body);
        if (encoding is null)
        {
            return body;
        }

        var preamble = encoding.Preamble;
        if (body.StartsWith(preamble))
        {
            body = body[preamble.Length..];
        }

        // Truncated bodies can end inside a character; the decoder replaces the partial one.
        var chars = encoding.GetCharCount(body);
        rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, Encoding.UTF8.GetMaxByteCount(chars)));
        var charBuffer = ArrayPool<char>.Shared.Rent(Math.Max(1, chars));
        try
        {
            var n = encoding.GetChars(body, charBuffer);
            var bytes = Encoding.UTF8.GetBytes(charBuffer.AsSpan(0, n), rented);
            return rented.AsSpan(0, bytes);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(charBuffer);
        }
    }

    private static Encoding? Declared(string contentType)
    {
        var at = contentType.IndexOf("charset=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var name = contentType.AsSpan(at + 8);
        var end = name.IndexOf(';');
        name = (end < 0 ? name : name[..end]).Trim().Trim('"');
        if (name.StartsWith("utf-16", StringComparison.OrdinalIgnoreCase) || name.Equals("ucs-2", StringComparison.OrdinalIgnoreCase)
            || name.Equals("unicode", StringComparison.OrdinalIgnoreCase))
        {
            return name.EndsWith("be", StringComparison.OrdinalIgnoreCase) ? Encoding.BigEndianUnicode : Encoding.Unicode;
        }

        if (name.StartsWith("utf-32", StringComparison.OrdinalIgnoreCase))
        {
            return name.EndsWith("be", StringComparison.OrdinalIgnoreCase) ? new UTF32Encoding(bigEndian: true, byteOrderMark: true) : Encoding.UTF32;
        }

        return null;
    }

    /// <summary>A byte-order mark, or ASCII text with every other byte zero.</summary>
    private static Encoding? Sniffed(ReadOnlySpan<byte> body)
    {
        if (body.Length < 2)
        {
            return null;
        }

        if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return Encoding.UTF32;
        }

        if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode;
        }

        if (body.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode;
        }

        if (body.Length >= 4 && body[0] != 0 && body[1] == 0 && body[2] != 0 && body[3] == 0)
        {
            return Encoding.Unicode;
        }

        if (body.Length >= 4 && body[0] == 0 && body[1] != 0 && body[2] == 0 && body[3] != 0)
        {
            return Encoding.BigEndianUnicode;
        }

        return null;
    }
}
