namespace Analytics.Sidecar.Inspection.Detectors;

/// <summary>
/// Open-redirect targets written so that the application's URL check and the browser read
/// different hosts: an authority with a backslash, a control character or characters no host
/// has (<c>http://evil.com\good.com</c>, <c>http://evil.com&amp;good.com</c>), an <c>@</c> after a
/// <c>?</c> or <c>#</c> that a naive parser takes for user-info (<c>http://evil:80?@good/</c>),
/// <c>http:</c> without slashes (<c>https:evil.com</c>, which browsers complete), a leading
/// <c>//</c> hidden behind a stripped <c>&lt;&gt;</c>, and a local path whose own query carries
/// a scheme-relative URL on (<c>/?next=//evil.com</c>). A plain absolute URL is left to
/// <see cref="SsrfDetector"/>: APIs carry those every day.
/// </summary>
internal sealed class OpenRedirectDetector : IDetector
{
    public static readonly Rule ParserConfusion = new("redirect-parser-confusion", Categories.OpenRedirect, 5, "a URL whose host parsers read differently");
    public static readonly Rule NestedRedirect = new("redirect-nested", Categories.OpenRedirect, 5, "a local path whose query sends on to a scheme-relative URL");

    private static readonly ValueChars Trigger = ValueChars.Of(":/\\");

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        if (!chars.HasAny(Trigger) || findings.Current.Kind == LocationKind.Path || value.Length < 4)
        {
            return;
        }

        if (findings.Current.Kind == LocationKind.Header && string.Equals(findings.Current.Name, "referer", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var s = value.AsSpan().Trim();
        if (chars.Has(':') && HasConfusedAuthority(s))
        {
            findings.Add(ParserConfusion);
        }

        if (chars.Has('<') && s.Length > 3 && s[0] is '<' or '/')
        {
            // "<>//evil.com": a sanitiser that strips tags leaves "//evil.com".
            var stripped = value.Trim().Replace("<>", string.Empty, StringComparison.Ordinal);
            if (stripped.Length != value.Trim().Length && IsSchemeRelative(stripped))
            {
                findings.Add(SsrfDetector.SchemeRelative);
            }
        }
        else if (s.Length > 3 && s[0] is '/' or '\\' && s[1] is '/' or '\\' && IsSchemeRelative(s))
        {
            findings.Add(SsrfDetector.SchemeRelative);
        }

        if (chars.Has('=') && s.Length > 3 && (s[0] is '/' or '?' || s.IndexOf("://", StringComparison.Ordinal) > 0) && HasNestedSchemeRelative(s))
        {
            findings.Add(NestedRedirect);
        }
    }

    /// <summary>"//host", "/\/host", "////\;@host": slashes and backslashes (browsers read '\' as '/'), then a host.</summary>
    private static bool IsSchemeRelative(ReadOnlySpan<char> s)
    {
        var k = 0;
        while (k < s.Length && s[k] is '/' or '\\' or '\t' or ' ')
        {
            k++;
        }

        if (k < 2 || k >= s.Length)
        {
            return false;
        }

        var rest = s[k..];
        var slash = rest.IndexOfAny('/', '\\');
        var authority = slash < 0 ? rest : rest[..slash];
        var at = authority.LastIndexOf('@');
        var host = at >= 0 ? authority[(at + 1)..] : authority;
        return LooksLikeHost(host);
    }

    /// <summary>A name with a dot and a top-level label of letters, or an IPv4 literal: what a redirect goes to.</summary>
    private static bool LooksLikeHost(ReadOnlySpan<char> host)
    {
        var end = host.IndexOfAny("?#:;&");
        if (end >= 0)
        {
            host = host[..end];
        }

        var dot = host.LastIndexOfAny('.', '\u3002', '\uFF61');
        if (dot <= 0 || dot == host.Length - 1 || !char.IsLetterOrDigit(host[0]))
        {
            return false;
        }

        foreach (var c in host)
        {
            if (!(char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '\u3002' or '\uFF61'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasConfusedAuthority(ReadOnlySpan<char> s)
    {
        var colon = s.IndexOf(':');
        if (colon is < 2 or > 10)
        {
            return false;
        }

        var scheme = s[..colon];
        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        var http = scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase);
        var afterColon = s[(colon + 1)..];
        if (!afterColon.StartsWith("//", StringComparison.Ordinal))
        {
            // "https:evil.com", "https:\\evil.com", "http:/\evil.com": browsers complete a special scheme's slashes.
            return http && afterColon.Length > 2 && (char.IsAsciiLetterOrDigit(afterColon[0]) || afterColon[0] == '\\' || (afterColon[0] == '/' && afterColon[1] == '\\'));
        }

        var rest = afterColon[2..];
        var slash = rest.IndexOf('/');
        var region = slash < 0 ? rest : rest[..slash];
        if (region.IsEmpty)
        {
            return false;
        }

        if (region[0] <= ' ')
        {
            // "https://%09/evil.com": no host where the browser drops the tab and reads on.
            return true;
        }

        var space = region.IndexOfAny(" \t\r\n,");
        if (space >= 0)
        {
            // Prose and lists end a URL at white space or a comma.
            region = region[..space];
        }

        if (region.Contains('\\'))
        {
            return http;
        }

        var query = region.IndexOfAny('?', '#');
        if (query >= 0)
        {
            // "http://evil:80?@good/": no parameter, just an '@' a naive parser takes for user-info.
            var tail = region[(query + 1)..];
            var at = tail.IndexOf('@');
            if (at >= 0 && tail[..at].IndexOf('=') < 0)
            {
                return true;
            }
        }

        var authority = query >= 0 ? region[..query] : region;
        for (var i = 0; i + 1 < authority.Length; i++)
        {
            if (authority[i] is '&' or '^' or '|' or '{' or '}' or '`' && char.IsLetterOrDigit(authority[i + 1]))
            {
                return http;
            }
        }

        return false;
    }

    /// <summary>"/?url=//evil.com&amp;next=…": a parameter inside the value whose value is scheme-relative.</summary>
    private static bool HasNestedSchemeRelative(ReadOnlySpan<char> s)
    {
        for (var i = s.IndexOf('='); i >= 0 && i + 3 < s.Length; i = Next(s, i))
        {
            var v = s[(i + 1)..];
            var amp = v.IndexOf('&');
            if (amp >= 0)
            {
                v = v[..amp];
            }

            if (v.Length > 3 && v[0] is '/' or '\\' && v[1] is '/' or '\\' && IsSchemeRelative(v))
            {
                return true;
            }
        }

        return false;

        static int Next(ReadOnlySpan<char> s, int i)
        {
            var n = s[(i + 1)..].IndexOf('=');
            return n < 0 ? -1 : i + 1 + n;
        }
    }
}
