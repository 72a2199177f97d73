using System.Text;

namespace Analytics.Inspection.Normalization;

/// <summary>What path canonicalisation had to undo.</summary>
[Flags]
internal enum PathFlags
{
    None = 0,
    DotSegment = 1,
    DotDotSegment = 2,
    /// <summary>More '..' segments than the path had to climb: an attempt to leave the root.</summary>
    EscapesRoot = 4,
    EmptySegment = 8,
    Backslash = 16,
    EncodedSlash = 32,
    PathParameter = 64,
}

/// <summary>
/// Canonicalises a request path the way a permissive server might read it, so detectors and
/// the catalog see one spelling: percent-decoding until stable, Unicode folding, '\' as '/',
/// ';' path parameters dropped, empty and '.' segments removed, '..' resolved.
/// </summary>
internal static class PathCanonicalizer
{
    public static string Canonicalize(string rawPath, out PathFlags pathFlags, ref DecodeFlags decodeFlags)
    {
        pathFlags = PathFlags.None;
        if (rawPath.Contains("%2f", StringComparison.OrdinalIgnoreCase) || rawPath.Contains("%5c", StringComparison.OrdinalIgnoreCase))
        {
            pathFlags |= PathFlags.EncodedSlash;
        }

        var decoded = PercentDecoder.Decode(rawPath, plusAsSpace: false, ref decodeFlags);
        decoded = ValueNormalizer.FoldThenDecode(decoded, percentDecode: true, ref decodeFlags);
        if (decoded.Contains('\0', StringComparison.Ordinal))
        {
            decodeFlags |= DecodeFlags.NullByte;
        }

        if (IsAlreadyCanonical(decoded))
        {
            return decoded.Length == 0 ? "/" : decoded;
        }

        if (decoded.Contains('\\', StringComparison.Ordinal))
        {
            pathFlags |= PathFlags.Backslash;
        }

        Span<Range> stack = stackalloc Range[64];
        var depth = 0;
        var source = decoded.Replace('\\', '/');
        var span = source.AsSpan();
        var trailingSlash = span.Length > 1 && span[^1] == '/';
        var overflow = false;
        foreach (var range in span.Split('/'))
        {
            var segment = span[range];
            var semicolon = segment.IndexOf(';');
            var end = range.End;
            if (semicolon >= 0)
            {
                pathFlags |= PathFlags.PathParameter;
                end = range.Start.Value + semicolon;
                segment = segment[..semicolon];
            }

            if (segment.Length == 0)
            {
                if (range.Start.Value != 0 && range.End.Value != span.Length)
                {
                    pathFlags |= PathFlags.EmptySegment;
                }

                continue;
            }

            if (segment is ".")
            {
                pathFlags |= PathFlags.DotSegment;
                continue;
            }

            if (segment is "..")
            {
                pathFlags |= PathFlags.DotDotSegment;
                if (depth == 0)
                {
                    pathFlags |= PathFlags.EscapesRoot;
                }
                else
                {
                    depth--;
                }

                continue;
            }

            if (depth == stack.Length)
            {
                overflow = true;
                break;
            }

            stack[depth++] = new Range(range.Start, end);
        }

        if (overflow)
        {
            return "/" + source.TrimStart('/');
        }

        var sb = new StringBuilder(span.Length);
        for (var i = 0; i < depth; i++)
        {
            sb.Append('/').Append(span[stack[i]]);
        }

        if (sb.Length == 0 || trailingSlash)
        {
            sb.Append('/');
        }

        return sb.ToString();
    }

    private static bool IsAlreadyCanonical(string path)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return false;
        }

        if (path.AsSpan().IndexOfAny("\\;") >= 0 || path.Contains("//", StringComparison.Ordinal))
        {
            return false;
        }

        return !path.Contains("/.", StringComparison.Ordinal);
    }
}
