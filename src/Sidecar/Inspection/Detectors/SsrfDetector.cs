using System.Net;

namespace Analytics.Sidecar.Inspection.Detectors;

/// <summary>
/// Server-side request forgery markers and open redirects: URLs to loopback, private,
/// link-local and cloud metadata addresses (also in decimal, hex or octal spelling), schemes
/// a web API never needs (<c>gopher:</c>, <c>dict:</c>, …), scheme-relative URLs and
/// user-info tricks in a value. Not applied to Referer, which is a URL by definition.
/// </summary>
internal sealed class SsrfDetector : IDetector
{
    public static readonly Rule InternalAddress = new("ssrf-internal-address", Categories.Ssrf, 5, "a URL to a loopback, private or metadata address");
    public static readonly Rule UnusualScheme = new("ssrf-unusual-scheme", Categories.Ssrf, 5, "a URL scheme a web API does not use");
    public static readonly Rule ObfuscatedIp = new("ssrf-obfuscated-ip", Categories.Ssrf, 5, "an IP address in decimal, hex or octal notation");
    public static readonly Rule SchemeRelative = new("redirect-scheme-relative", Categories.OpenRedirect, 5, "a scheme-relative URL (//host) in a value");
    public static readonly Rule UserInfo = new("redirect-userinfo", Categories.OpenRedirect, 4, "a URL with user-info before the host");
    public static readonly Rule AbsoluteUrl = new("redirect-absolute-url", Categories.OpenRedirect, 2, "an absolute URL in a value");

    private static readonly System.Buffers.SearchValues<char> HexDigitsAndDots = System.Buffers.SearchValues.Create("0123456789.xXabcdefABCDEF");

    private static readonly string[] Schemes = ["gopher:", "dict:", "ldap:", "ldaps:", "tftp:", "sftp:", "jar:", "netdoc:", "ftp://", "smb:", "telnet:", "ssh:", "mailto:", "fd:", "rtsp:", "ws:", "wss:"];

    private static readonly NeedleSet SchemesSet = Text.Set(Schemes);

    private static readonly string[] InternalHosts =
    [
        "localhost", "127.", "0.0.0.0", "169.254.", "[::", "[0:0", "[fe80", "[fc00", "[fd", "metadata.google", "metadata.",
        "100.100.100.200", "instance-data", "10.", "192.168.", "172.16.", "172.17.", "172.18.", "172.19.", "172.2", "172.30.",
        "172.31.", "0177.", "0x7f", "2130706433", "017700000001", "0.", "localtest.me", "nip.io", "xip.io", "burpcollaborator",
        "kubernetes.default", "metadata.azure", "fd00:ec2",
    ];

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        var s = value.AsSpan().Trim();
        if (s.Length < 3 || findings.Current.Kind == LocationKind.Path)
        {
            return;
        }

        var referer = findings.Current.Kind == LocationKind.Header && string.Equals(findings.Current.Name, "referer", StringComparison.OrdinalIgnoreCase);
        if (!referer && s.Length > 1 && s[0] is '/' or '\\' && s[1] < ' ')
        {
            // "/\t/host": browsers drop tabs and newlines in URLs.
            s = Text.Compact(value).AsSpan();
        }

        if (!referer && s.Length > 6 && s[0] == '/' && (s[1..].StartsWith("http:", StringComparison.OrdinalIgnoreCase) || s[1..].StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
        {
            // "/https://evil": a "local" redirect target that a lenient parser reads as absolute.
            findings.Add(SchemeRelative);
        }

        if (!referer && s.IndexOfAny('/', '\\') >= 0 && s.Length > 2 && s[0] is '/' or '\\' && s[1] is '/' or '\\')
        {
            var k = 0;
            while (k < s.Length && s[k] is '/' or '\\' or '\t' or ' ')
            {
                k++;
            }

            if (k < s.Length && (s[k] is '[' or '@' or '%' or '.' || (char.IsAsciiLetterOrDigit(s[k]) && IsDottedOrLocalHost(s[k..]))))
            {
                findings.Add(SchemeRelative);
            }
        }

        var colon = s.IndexOf(':');
        if (colon > 0)
        {
            if (!referer && HasUnusualScheme(s))
            {
                findings.Add(UnusualScheme);
            }

            var sep = s.IndexOf("://", StringComparison.Ordinal);
            var schemeEnd = sep >= 0 ? sep + 3 : (s.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? colon + 1 : -1);
            if (schemeEnd > 0)
            {
                var authorityEnd = s[schemeEnd..].IndexOfAny("/?#");
                var authority = authorityEnd < 0 ? s[schemeEnd..] : s[schemeEnd..(schemeEnd + authorityEnd)];
                while (authority.Length > 0 && authority[0] is '/' or '\\')
                {
                    authority = authority[1..];
                }

                var atSign = authority.LastIndexOf('@');
                if (atSign >= 0 && !referer)
                {
                    findings.Add(UserInfo);
                }

                var host = atSign >= 0 ? authority[(atSign + 1)..] : authority;
                if (!referer && IsInternal(host))
                {
                    findings.Add(InternalAddress);
                }

                if (!referer && IsObfuscatedIp(host))
                {
                    findings.Add(ObfuscatedIp);
                }

                if (!referer && schemeEnd <= 8 && sep >= 0 && sep <= 5 && s[..sep].IndexOfAny(" <>\"'") < 0)
                {
                    findings.Add(AbsoluteUrl);
                }
            }
        }

        if (!referer && s.Length <= 64 && s.IndexOf(':') < 0 && (s.StartsWith("169.254.", StringComparison.Ordinal) || s.StartsWith("127.", StringComparison.Ordinal)
            || s.StartsWith("metadata.", StringComparison.OrdinalIgnoreCase) || s.StartsWith("localhost", StringComparison.OrdinalIgnoreCase)))
        {
            findings.Add(InternalAddress);
        }
    }

    /// <summary>
    /// The host of "//host/…" has a dot or is localhost: what a browser can be sent to. A Windows
    /// share (<c>\\\\fileserver\\invoices</c>) names a machine of the local network by its bare name.
    /// </summary>
    private static bool IsDottedOrLocalHost(ReadOnlySpan<char> rest)
    {
        var end = rest.IndexOfAny("/\\?#");
        var host = end < 0 ? rest : rest[..end];
        var at = host.LastIndexOf('@');
        if (at >= 0)
        {
            return true;
        }

        // A dotted name, localhost, or a number a resolver takes for an address (//2130706433, //0x7f000001).
        // U+3002 and U+FF61 are dots to IDNA: browsers resolve "evil。com" as "evil.com".
        return host.IndexOfAny('.', '\u3002', '\uFF61') >= 0 || host.StartsWith("localhost", StringComparison.OrdinalIgnoreCase) || IsObfuscatedIp(host) || host.Contains(':');
    }

    private static bool HasUnusualScheme(ReadOnlySpan<char> s)
    {
        // The loop finds where a scheme is and what follows it; one vectorised scan first says whether any is there.
        if (!Text.HasAny(s, SchemesSet))
        {
            return false;
        }

        foreach (var scheme in Schemes)
        {
            var at = s.IndexOf(scheme, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && (at == 0 || !char.IsAsciiLetter(s[at - 1])) && at + scheme.Length < s.Length && s[at + scheme.Length] is '/' or '\\')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInternal(ReadOnlySpan<char> host)
    {
        var port = host.LastIndexOf(':');
        if (port > 0 && host[0] != '[')
        {
            host = host[..port];
        }

        if (host.Length == 0)
        {
            return false;
        }

        foreach (var h in InternalHosts)
        {
            if (host.StartsWith(h, StringComparison.OrdinalIgnoreCase))
            {
                if (h == "localhost" && host.Length > h.Length && host[h.Length] == '.' && !host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
                {
                    // "localhost.example.org" is somebody's public host; "localhost" and "x.localhost" are this machine.
                    continue;
                }

                if (h is "10." or "0." or "127." or "172.2")
                {
                    // Only an IPv4 literal, not a host name that happens to start with digits.
                    return IPAddress.TryParse(host, out _) || host.StartsWith("127.", StringComparison.Ordinal);
                }

                return true;
            }

            if (h.EndsWith('.') is false && h.Contains('.', StringComparison.Ordinal) && host.EndsWith(h, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsObfuscatedIp(ReadOnlySpan<char> host)
    {
        var port = host.LastIndexOf(':');
        if (port > 0 && host[0] != '[')
        {
            host = host[..port];
        }

        if (host.Length == 0)
        {
            return false;
        }

        // 2130706433, 0x7f000001, 0177.0.0.1, 0x7f.1: numbers a resolver accepts as an address.
        if (host.Length >= 8 && host.Length <= 10 && IsAllDigits(host))
        {
            return true;
        }

        if (host.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var dotted = host.Contains('.') && host.IndexOfAnyExcept(HexDigitsAndDots) < 0;
        if (!dotted)
        {
            return false;
        }

        foreach (var range in host.Split('.'))
        {
            var part = host[range];
            if (part.Length > 1 && part[0] == '0')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> s) => s.IndexOfAnyExceptInRange('0', '9') < 0;
}
