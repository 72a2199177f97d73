namespace Analytics.Inspection.Detectors;

/// <summary>
/// CRLF / header injection: a line break followed by something shaped like a header
/// (<c>Set-Cookie:</c>), or header text that only response splitting needs. In bodies, where
/// multi-line text is normal, only known response headers after a line break count.
/// </summary>
internal sealed class CrlfInjectionDetector : IDetector
{
    public static readonly Rule HeaderInjection = new("crlf-header-injection", Categories.Crlf, 5, "a line break followed by a header");
    public static readonly Rule LineBreak = new("crlf-line-break", Categories.Crlf, 3, "a line break in a single-line value");
    public static readonly Rule SetCookie = new("crlf-set-cookie", Categories.Crlf, 5, "a Set-Cookie header inside a value");
    public static readonly Rule LineBreakInPath = new("protocol-line-break-in-path", Categories.ProtocolAttack, 5, "a CR or LF in a decoded path that is one token, which no resource name holds");

    private static readonly string[] ResponseHeaders =
    [
        "set-cookie", "location", "content-type", "content-length", "refresh", "x-xss-protection", "access-control-",
        "content-security-policy", "transfer-encoding", "cache-control", "http/1.", "x-forwarded", "host",
    ];

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        var s = value.AsSpan();
        if (chars.Has(':') && (Text.Has(s, "set-cookie:") || Text.Has(s, "set-cookie :")))
        {
            findings.Add(SetCookie);
        }

        if (chars.Has('/') && RequestLineFinder.HasRequestLine(s))
        {
            findings.Add(RequestLineFinder.RequestLineInValue);
        }

        if (!chars.Has('\r', '\n'))
        {
            return;
        }

        var nl = s.IndexOfAny('\r', '\n');
        var body = findings.Current.IsBody;
        for (var i = nl; i >= 0 && i < s.Length;)
        {
            var j = i;
            while (j < s.Length && s[j] is '\r' or '\n' or ' ' or '\t')
            {
                j++;
            }

            var nameEnd = j;
            while (nameEnd < s.Length && (char.IsAsciiLetterOrDigit(s[nameEnd]) || s[nameEnd] is '-' or '_' or '.' or '/'))
            {
                nameEnd++;
            }

            var colon = nameEnd;
            while (!body && colon < s.Length && s[colon] is '\r' or '\n')
            {
                // "Remote-addr\r\r:": a header parser that folds or trims reads the name all the same.
                colon++;
            }

            if (nameEnd > j && colon < s.Length && s[colon] == ':')
            {
                var name = s[j..nameEnd];
                var known = false;
                foreach (var h in ResponseHeaders)
                {
                    if (name.StartsWith(h, StringComparison.OrdinalIgnoreCase))
                    {
                        known = true;
                        break;
                    }
                }

                if (known || !body)
                {
                    findings.Add(HeaderInjection);
                    return;
                }
            }

            var next = s[j..].IndexOfAny('\r', '\n');
            i = next < 0 ? -1 : j + next;
        }

        if (findings.Current.Kind is LocationKind.Path or LocationKind.PathSegment && s.IndexOfAny(' ', ',') < 0)
        {
            // One token with a line break ("/foo%0Abar", "/x%0Asession.auto_start=1"): a request or log line
            // being split. Text with spaces or a list (a note or CSV a route takes in its path) stays a weak sign.
            findings.Add(LineBreakInPath);
        }
        else if (!body && findings.Current.Kind != LocationKind.Header)
        {
            findings.Add(LineBreak);
        }
    }
}
