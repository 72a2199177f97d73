namespace Analytics.Inspection.Detectors;

/// <summary>
/// An HTTP request line inside a value (<c>GET /admin HTTP/1.1</c>, <c>\nPOST / HTTP/1.0</c>): a
/// second request smuggled through an application or proxy that writes the value into an upstream
/// request. It counts at the start of the value or of a line, with a method, one target and an
/// HTTP version: prose about requests ("send a GET / HTTP/1.1 request") has words before it.
/// </summary>
internal static class RequestLineFinder
{
    public static readonly Rule RequestLineInValue = new("protocol-request-line-in-value", Categories.ProtocolAttack, 5, "an HTTP request line at the start of a value or of one of its lines");

    private static readonly string[] Methods =
    [
        "GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "TRACK", "PROPFIND", "PROPPATCH",
        "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK",
    ];

    public static bool HasRequestLine(ReadOnlySpan<char> s)
    {
        var from = 0;
        while (from < s.Length)
        {
            var at = s[from..].IndexOf("http/", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            at += from;
            if (at + 5 < s.Length && char.IsAsciiDigit(s[at + 5]) && IsRequestLine(s, at))
            {
                return true;
            }

            from = at + 5;
        }

        return false;
    }

    /// <summary>Whether the line that holds "HTTP/" at <paramref name="version"/> is "METHOD target HTTP/".</summary>
    private static bool IsRequestLine(ReadOnlySpan<char> s, int version)
    {
        var lineStart = s[..version].LastIndexOfAny('\r', '\n') + 1;
        var line = s[lineStart..version].TrimStart(" \t");
        var sp = line.IndexOfAny(' ', '\t');
        if (sp <= 0 || !IsMethod(line[..sp]))
        {
            return false;
        }

        var target = line[sp..].Trim(" \t");
        return target.Length > 0 && target.IndexOfAny(' ', '\t') < 0 && line.Length > sp && line[^1] is ' ' or '\t';
    }

    private static bool IsMethod(ReadOnlySpan<char> word)
    {
        foreach (var m in Methods)
        {
            if (word.Equals(m, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
