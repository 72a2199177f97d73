namespace Analytics.Inspection.Detectors;

/// <summary>
/// Remote file inclusion (CRS 931): a URL in a value whose host is an IP address (v4 or v6),
/// a URL that ends in '?' (the trick that cuts off the suffix an include appends), and an
/// <c>include</c>/<c>require</c>-style fetch of a remote script, and a URL given to a parameter whose name is the
/// directory a PHP script includes its code from (register_globals overwrites, see <see cref="IncludePathNames"/>).
/// Path segments count (an encoded URL there is fetched by routes like /proxy/{url}); the whole path does not. Off-site URLs in general are
/// paranoia level 2: real APIs take webhook and image URLs.
/// </summary>
internal sealed class RemoteFileInclusionDetector : IDetector
{
    public static readonly Rule IpHost = new("rfi-ip-host", Categories.Rfi, 5, "a URL to an IP address in a value");
    public static readonly Rule TrailingQuestion = new("rfi-trailing-question-mark", Categories.Rfi, 5, "a URL that ends in '?' (suffix cut-off)");
    public static readonly Rule RemoteScript = new("rfi-remote-script", Categories.Rfi, 5, "a URL to a script or text file to include");
    public static readonly Rule IncludeParameter = new("rfi-include-parameter", Categories.Rfi, 5, "a URL given to a parameter named like a PHP include directory (_CONF[path], mosConfig_absolute_path)");
    public static readonly Rule SchemeProbe = new("rfi-scheme-probe", Categories.Rfi, 5, "a value that is only a URL scheme and '?' (file?, https?)", Paranoia: 2);
    public static readonly Rule OffSite = new("rfi-off-site-url", Categories.Rfi, 3, "an absolute URL in a value", Paranoia: 2);

    private static readonly string[] Schemes = ["http://", "https://", "ftp://", "ftps://", "\\\\"];

    private static readonly System.Buffers.SearchValues<char> UrlEnd = System.Buffers.SearchValues.Create(" \t\r\n\"'<>");

    private static readonly string[] ScriptExtensions = [".txt", ".php", ".phtml", ".inc", ".sh", ".pl", ".py", ".jsp", ".asp", ".aspx", ".cgi", ".phar", ".ps1", ".exe"];

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        if (chars.Has('?') && value.Length <= 12 && value[^1] == '?')
        {
            ScanSchemeProbe(value, findings);
        }

        if (!chars.Has('/', '\\') || (!chars.Has(':') && !chars.Has('\\')))
        {
            return;
        }

        var kind = findings.Current.Kind;
        if (kind is LocationKind.Path
            || (kind == LocationKind.Header && (string.Equals(findings.Current.Name, "referer", StringComparison.OrdinalIgnoreCase) || string.Equals(findings.Current.Name, "origin", StringComparison.OrdinalIgnoreCase))))
        {
            return;
        }

        var s = value.AsSpan();
        foreach (var scheme in Schemes)
        {
            var at = s.IndexOf(scheme, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                continue;
            }

            var rest = s[(at + scheme.Length)..];
            var end = rest.IndexOfAny(UrlEnd);
            var url = end < 0 ? rest : rest[..end];
            var hostEnd = url.IndexOfAny("/?#\\");
            var host = hostEnd < 0 ? url : url[..hostEnd];
            var at2 = host.LastIndexOf('@');
            if (at2 >= 0)
            {
                host = host[(at2 + 1)..];
            }

            if (host.Length == 0)
            {
                continue;
            }

            if (IsIpHost(host))
            {
                findings.Add(IpHost);
            }

            // After a space a URL is a sentence's ("is it https://example.com/faq?", "see https://x.example/a.php").
            var glued = at > 0 && !char.IsWhiteSpace(s[at - 1]);

            // With a path ("http://x/shell.txt?") as the value or glued into it ("page=http://x/shell.txt?");
            // the bare host ("https://evil.example?", whose root serves the code) only as the whole value.
            if (url[^1] == '?' && (at == 0 || glued)
                && (url.Length > host.Length + 1 || (at == 0 && end < 0 && url.Length > host.Length)))
            {
                findings.Add(TrailingQuestion);
            }

            var path = hostEnd < 0 ? [] : url[hostEnd..];
            var q = path.IndexOfAny('?', '#');
            var pathOnly = q < 0 ? path : path[..q];
            foreach (var ext in ScriptExtensions)
            {
                if (pathOnly.EndsWith(ext, StringComparison.OrdinalIgnoreCase) && (glued || (at == 0 && q >= 0 && path[q..].Length == 1)))
                {
                    // Mid-value ("include=http://x/shell.txt" glued into another value) or with the '?' cut-off.
                    findings.Add(RemoteScript);
                    break;
                }
            }

            if (at == 0 && IsValueOfName(findings.Current) && IncludePathNames.Is(findings.Current.Name))
            {
                findings.Add(IncludeParameter);
            }

            findings.Add(OffSite);
        }
    }

    private static bool IsValueOfName(ValueLocation location) =>
        location.Kind is LocationKind.QueryValue or LocationKind.BodyValue or LocationKind.Cookie;

    /// <summary>
    /// The whole value a scheme cut off with '?': with its colon (<c>https://?</c>, <c>file:?</c>) a URL shape prose does
    /// not write, level 1 as <see cref="TrailingQuestion"/>; the bare word (<c>file?</c>, <c>https?</c>) is also a
    /// one-word question in a chat or search box, level 2.
    /// </summary>
    private static void ScanSchemeProbe(string value, FindingSet findings)
    {
        var s = value.AsSpan().TrimEnd('?');
        var colon = s.IndexOf(':');
        var scheme = colon < 0 ? s : s[..colon];
        if (!IsIncludeScheme(scheme))
        {
            return;
        }

        if (colon < 0)
        {
            findings.Add(SchemeProbe);
        }
        else if (s[(colon + 1)..].IndexOfAnyExcept('/') < 0)
        {
            findings.Add(TrailingQuestion);
        }
    }

    private static bool IsIncludeScheme(ReadOnlySpan<char> s) =>
        s.Equals("http", StringComparison.OrdinalIgnoreCase) || s.Equals("https", StringComparison.OrdinalIgnoreCase)
        || s.Equals("ftp", StringComparison.OrdinalIgnoreCase) || s.Equals("ftps", StringComparison.OrdinalIgnoreCase)
        || s.Equals("file", StringComparison.OrdinalIgnoreCase);

    private static bool IsIpHost(ReadOnlySpan<char> host)
    {
        if (host[0] == '[')
        {
            return true;
        }

        var colon = host.IndexOf(':');
        if (colon >= 0)
        {
            host = host[..colon];
        }

        var dots = 0;
        foreach (var c in host)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return dots == 3;
    }
}
