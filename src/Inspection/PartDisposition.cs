namespace Analytics.Inspection;

/// <summary>
/// A multipart part's <c>Content-Disposition</c> header parsed into the parameters an application
/// reads (<c>name</c>, <c>filename</c>, <c>filename*</c>) and the rest of the header without their
/// values. Each parameter is scanned in its own place, as a field name or a file name; scanned as
/// one line, a name like <c>*</c> or <c>|</c> sat between the header's quotes and read as SQL
/// leaving a string literal. The rest keeps what does not belong to a parameter (a value that
/// closes its quote early and goes on, an unknown parameter, a second <c>name</c>), and
/// <see cref="Malformed"/> says that text follows a quoted value or a quote is never closed,
/// where parsers disagree on what the name is.
/// </summary>
internal readonly record struct PartDisposition(string? Name, string? FileName, string? FileNameStar, string Rest, bool Malformed)
{
    /// <summary>The first <c>Content-Disposition</c> line of a part's headers, parsed; none when the part has none.</summary>
    public static PartDisposition? Find(string headers)
    {
        foreach (var range in headers.AsSpan().Split('\n'))
        {
            var line = headers.AsSpan()[range].TrimEnd('\r');
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase))
            {
                return Parse(line[(colon + 1)..].Trim());
            }
        }

        return null;
    }

    /// <summary>
    /// <c>form-data; name="field"; filename="a.txt"</c>: parameters in order, a quoted value to its
    /// closing quote (a backslash escapes the next character: RFC 9110 quoted-pair),
    /// the first of each of the three taken and its value left out of <see cref="Rest"/>.
    /// </summary>
    public static PartDisposition Parse(ReadOnlySpan<char> value)
    {
        string? name = null, fileName = null, fileNameStar = null;
        // Up to three value ranges are left out of the rest, in order.
        Span<(int Start, int End)> cut = stackalloc (int, int)[3];
        var cuts = 0;
        var malformed = false;
        var i = value.IndexOf(';');
        while (i >= 0 && i < value.Length)
        {
            var attributeStart = i + 1;
            var next = attributeStart + value[attributeStart..].IndexOfAny(';', '=');
            if (next < attributeStart || value[next] == ';')
            {
                // A parameter without '=' (or the end of the header): nothing to take.
                i = next < attributeStart ? -1 : next;
                continue;
            }

            var attribute = value[attributeStart..next].Trim();
            var start = next + 1;
            while (start < value.Length && value[start] is ' ' or '\t')
            {
                start++;
            }

            var quoted = start < value.Length && value[start] == '"';
            var end = quoted ? QuotedEnd(value, start) : TokenEnd(value, start);
            var raw = value[start..(end < 0 ? value.Length : end)];
            if (quoted)
            {
                // Only ';' or the end may follow a closed quote.
                var after = end < 0 ? [] : value[end..].TrimStart();
                malformed |= end < 0 || !(after.IsEmpty || after[0] == ';');
                end = end < 0 ? value.Length : end;
            }

            if (attribute.Equals("name", StringComparison.OrdinalIgnoreCase) && name is null)
            {
                name = Unquote(raw);
                cut[cuts++] = (start, end);
            }
            else if (attribute.Equals("filename", StringComparison.OrdinalIgnoreCase) && fileName is null)
            {
                fileName = Unquote(raw);
                cut[cuts++] = (start, end);
            }
            else if (attribute.Equals("filename*", StringComparison.OrdinalIgnoreCase) && fileNameStar is null)
            {
                // RFC 5987: charset'language'percent-encoded name; the name is what follows the last quote.
                var extended = Unquote(raw).AsSpan();
                fileNameStar = extended[(extended.LastIndexOf('\'') + 1)..].ToString();
                cut[cuts++] = (start, end);
            }

            var semicolon = value[end..].IndexOf(';');
            i = semicolon < 0 ? -1 : end + semicolon;
        }

        return new PartDisposition(name, fileName, fileNameStar, Without(value, cut[..cuts]), malformed);
    }

    /// <summary>The index after the closing quote, or -1 when the quote is never closed.</summary>
    private static int QuotedEnd(ReadOnlySpan<char> value, int open)
    {
        for (var j = open + 1; j < value.Length; j++)
        {
            if (value[j] == '\\')
            {
                j++;
            }
            else if (value[j] == '"')
            {
                return j + 1;
            }
        }

        // An unclosed quote: the value runs to the end of the header.
        return -1;
    }

    private static int TokenEnd(ReadOnlySpan<char> value, int start)
    {
        var semicolon = value[start..].IndexOf(';');
        return semicolon < 0 ? value.Length : start + semicolon;
    }

    private static string Unquote(ReadOnlySpan<char> raw)
    {
        if (raw.Length > 0 && raw[0] == '"')
        {
            // A quoted value is kept as sent, spaces and Windows paths' backslashes included; a sender
            // that escapes a quote (\") escapes every backslash, and a parser that unescapes reads this.
            var inner = raw.Length > 1 && raw[^1] == '"' ? raw[1..^1] : raw[1..];
            return inner.Contains("\\\"", StringComparison.Ordinal) ? Unescape(inner) : inner.ToString();
        }

        return raw.Trim().ToString();
    }

    private static string Unescape(ReadOnlySpan<char> quoted)
    {
        var text = new System.Text.StringBuilder(quoted.Length);
        for (var j = 0; j < quoted.Length; j++)
        {
            text.Append(quoted[j] == '\\' && j + 1 < quoted.Length ? quoted[++j] : quoted[j]);
        }

        return text.ToString();
    }

    private static string Without(ReadOnlySpan<char> value, ReadOnlySpan<(int Start, int End)> cut)
    {
        if (cut.IsEmpty)
        {
            return value.ToString();
        }

        var rest = new System.Text.StringBuilder(value.Length);
        var at = 0;
        foreach (var (start, end) in cut)
        {
            rest.Append(value[at..start]);
            at = end;
        }

        return rest.Append(value[at..]).ToString();
    }
}
