using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Analytics.Inspection.Detectors;

/// <summary>
/// Protocol enforcement (CRS 920) and scanner recognition (CRS 913), judged once per request
/// from its request line and headers rather than value by value: the method, the target's form
/// (absolute, authority, a fragment, raw bytes no client sends), the version, <c>Host</c>,
/// <c>Content-Type</c> and its charset, <c>Range</c>, and the User-Agents and headers of
/// security scanners.
/// </summary>
internal static class ProtocolRules
{
    public static readonly Rule MethodNotAllowed = new("protocol-method-not-allowed", Categories.Protocol, 5, "a method a web API does not serve (TRACE, CONNECT, WebDAV, made-up)");
    public static readonly Rule AbsoluteTarget = new("protocol-absolute-form-target", Categories.Protocol, 3, "an absolute-form request target (a proxy request)");
    public static readonly Rule AuthorityTarget = new("protocol-authority-form-target", Categories.Protocol, 5, "an authority-form request target (CONNECT tunnelling)");
    public static readonly Rule Fragment = new("protocol-fragment-in-target", Categories.Protocol, 5, "a '#' fragment in the request target, which clients never send");
    public static readonly Rule InvalidTargetChars = new("protocol-invalid-target-chars", Categories.Protocol, 5, "control, space or non-ASCII characters in the raw request target");
    public static readonly Rule BadVersion = new("protocol-invalid-version", Categories.Protocol, 5, "an HTTP version other than 1.0, 1.1, 2 or 3");
    public static readonly Rule MissingHost = new("protocol-missing-host", Categories.Protocol, 3, "no Host header");
    public static readonly Rule NumericHost = new("protocol-numeric-host", Categories.Protocol, 3, "the Host header is an IP address", Paranoia: 2);
    public static readonly Rule BadContentType = new("protocol-invalid-content-type", Categories.Protocol, 5, "a Content-Type that is not type/subtype, or several of them");
    public static readonly Rule BadCharset = new("protocol-invalid-charset", Categories.Protocol, 5, "a charset that is not a known text encoding, or several of them");
    public static readonly Rule RangeAbuse = new("protocol-range-abuse", Categories.Protocol, 5, "a Range header with many or malformed ranges");
    public static readonly Rule BodyMismatch = new("protocol-body-malformed", Categories.Protocol, 5, "a body that does not parse as its declared type");
    public static readonly Rule MissingUserAgent = new("protocol-missing-user-agent", Categories.Protocol, 2, "no User-Agent header", Paranoia: 2);
    public static readonly Rule MissingAccept = new("protocol-missing-accept", Categories.Protocol, 2, "no Accept header", Paranoia: 2);
    public static readonly Rule HeaderNameChars = new("protocol-header-name-chars", Categories.Protocol, 5, "a header name with characters outside letters, digits, '-' and '_'");
    public static readonly Rule BodyUninspected = new("protocol-body-uninspected", Categories.Protocol, 2, "the body is larger than the inspected prefix; the rest was not scanned");
    public static readonly Rule BodyUninspectedBlock = new("protocol-body-uninspected-block", Categories.Protocol, 1000, "the body is larger than the inspected prefix and the route refuses such bodies");
    public static readonly Rule ScannerUserAgent = new("scanner-user-agent", Categories.Scanner, 5, "the User-Agent of a security scanner or attack tool");
    public static readonly Rule ScannerUrl = new("scanner-url", Categories.Scanner, 5, "a file security scanners request to fingerprint a server");
    public static readonly Rule ScannerHeader = new("scanner-header", Categories.Scanner, 5, "a header that security scanners send");

    private static readonly FrozenSet<string> AllowedMethods =
        new[] { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Charsets =
        new[]
        {
            "utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "iso-8859-15", "latin1", "windows-1252", "cp1252", "utf-16", "utf-16le", "utf-16be",
            "utf-32", "utf-32le", "utf-32be", "ucs-2",
        }.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly System.Buffers.SearchValues<char> NotInMediaType = System.Buffers.SearchValues.Create(" ,\"'()<>@[]{}\\=");

    private static readonly NeedleSet Scanners = Text.Set(WordLists.ScannerUserAgents);

    private static readonly NeedleSet ScannerUrls = Text.Set(WordLists.ScannerUrls);

    private static readonly FrozenSet<string> ScannerHeaders =
        new[] { "acunetix-product", "acunetix-scanning-agreement", "acunetix-user-agreement", "x-scanner", "x-wipp", "x-ratproxy-loop", "x-burp-ua", "bugbounty", "x-bug-bounty", "x-nuclei" }
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The request line: method, raw target and version.</summary>
    public static void CheckRequestLine(in InspectionInput input, FindingSet findings)
    {
        findings.Current = new ValueLocation(LocationKind.RequestLine, null);
        if (!AllowedMethods.Contains(input.Method))
        {
            findings.Add(MethodNotAllowed);
        }

        if (input.Protocol is { Length: > 0 } protocol && protocol is not ("HTTP/1.1" or "HTTP/1.0" or "HTTP/2" or "HTTP/2.0" or "HTTP/3" or "HTTP/3.0"))
        {
            findings.Add(BadVersion);
        }

        var target = input.RawTarget;
        if (string.IsNullOrEmpty(target))
        {
            return;
        }

        if (target[0] != '/' && target != "*")
        {
            findings.Add(target.Contains("://", StringComparison.Ordinal) ? AbsoluteTarget : AuthorityTarget);
        }

        if (target.Contains('#', StringComparison.Ordinal))
        {
            findings.Add(Fragment);
        }

        if (Text.HasAny(target, ScannerUrls))
        {
            findings.Add(ScannerUrl);
        }

        foreach (var c in target)
        {
            if (c <= ' ' || c >= 0x7f)
            {
                findings.Add(InvalidTargetChars);
                break;
            }
        }
    }

    /// <summary>Host, Content-Type, Range, User-Agent and Accept, and the scanners' marks; called once per request.</summary>
    public static void CheckHeaders(in InspectionInput input, FindingSet findings)
    {
        var headers = input.Headers;
        findings.Current = new ValueLocation(LocationKind.Header, "Host");
        var host = headers.Host;
        if (host.Count == 0 && input.Protocol is not ("HTTP/2" or "HTTP/3"))
        {
            // Absent (HTTP/1.0) or empty; HTTP/2 carries :authority and the server fills Host from it.
            if (input.Protocol is not null)
            {
                findings.Add(MissingHost);
            }
        }
        else if (host.Count == 1 && IsNumericHost(host[0]))
        {
            findings.Add(NumericHost);
        }

        var contentType = headers.ContentType;
        if (contentType.Count > 0)
        {
            findings.Current = new ValueLocation(LocationKind.Header, "Content-Type");
            CheckContentType(contentType, findings);
        }

        var range = headers.Range;
        if (range.Count > 0)
        {
            findings.Current = new ValueLocation(LocationKind.Header, "Range");
            CheckRange(range, findings);
        }

        var ua = headers.UserAgent;
        findings.Current = new ValueLocation(LocationKind.Header, "User-Agent");
        if (ua.Count == 0)
        {
            findings.Add(MissingUserAgent);
        }
        else
        {
            foreach (var v in ua)
            {
                if (!string.IsNullOrEmpty(v) && Text.HasAny(v, Scanners))
                {
                    findings.Add(ScannerUserAgent);
                }
            }
        }

        if (headers.Accept.Count == 0)
        {
            findings.Current = new ValueLocation(LocationKind.Header, "Accept");
            findings.Add(MissingAccept);
        }
    }

    /// <summary>A header's name: scanners' own headers, and characters a header name never needs.</summary>
    public static void CheckHeaderName(string name, FindingSet findings)
    {
        if (ScannerHeaders.Contains(name))
        {
            findings.Add(ScannerHeader);
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' and not '.')
            {
                findings.Add(HeaderNameChars);
                return;
            }
        }
    }

    private static void CheckContentType(StringValues values, FindingSet findings)
    {
        if (values.Count > 1)
        {
            findings.Add(BadContentType);
        }

        foreach (var v in values)
        {
            var span = (v ?? "").AsSpan();
            var semi = span.IndexOf(';');
            var media = (semi < 0 ? span : span[..semi]).Trim();
            var slash = media.IndexOf('/');
            if (slash <= 0 || slash == media.Length - 1 || media.IndexOfAny(NotInMediaType) >= 0 || media[(slash + 1)..].Contains('/'))
            {
                findings.Add(BadContentType);
            }

            var charsets = 0;
            var rest = semi < 0 ? [] : span[(semi + 1)..];
            var multipart = media.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);
            foreach (var range in rest.Split(';'))
            {
                var p = rest[range].Trim();
                if (!multipart && HidesMediaType(p))
                {
                    findings.Add(BadContentType);
                }

                if (!p.StartsWith("charset", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var eq = p.IndexOf('=');
                if (eq < 0)
                {
                    continue;
                }

                charsets++;
                var name = p[(eq + 1)..].Trim().Trim('"').Trim('\'');
                if (charsets > 1 || !Charsets.Contains(name))
                {
                    findings.Add(BadCharset);
                }
            }
        }
    }

    /// <summary>
    /// A parameter of a non-multipart type whose value is itself a media type
    /// (<c>application/x-www-form-urlencoded;boundary="application/json"</c>): parsers that pick the
    /// wrong one read the body as the other type. <c>type=</c> (multipart/related's root, XOP) and
    /// <c>profile=</c> (a URI) are the parameters that legitimately name or look like one.
    /// </summary>
    private static bool HidesMediaType(ReadOnlySpan<char> parameter)
    {
        var eq = parameter.IndexOf('=');
        if (eq <= 0)
        {
            return false;
        }

        var name = parameter[..eq].Trim();
        if (name.Equals("type", StringComparison.OrdinalIgnoreCase) || name.Equals("profile", StringComparison.OrdinalIgnoreCase)
            || name.Equals("start-info", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var value = parameter[(eq + 1)..].Trim().Trim('"').Trim();
        var slash = value.IndexOf('/');
        if (slash <= 0 || slash == value.Length - 1)
        {
            return false;
        }

        var top = value[..slash];
        foreach (var known in TopLevelTypes)
        {
            if (top.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                var sub = value[(slash + 1)..];
                return sub.IndexOfAnyExcept(MediaSubtypeChars) < 0;
            }
        }

        return false;
    }

    private static readonly string[] TopLevelTypes = ["application", "text", "multipart", "image", "audio", "video", "message", "model", "font"];

    private static readonly System.Buffers.SearchValues<char> MediaSubtypeChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_");

    private static void CheckRange(StringValues values, FindingSet findings)
    {
        foreach (var v in values)
        {
            var span = (v ?? "").AsSpan().Trim();
            var eq = span.IndexOf('=');
            if (eq <= 0)
            {
                findings.Add(RangeAbuse);
                return;
            }

            var count = 1;
            foreach (var c in span[(eq + 1)..])
            {
                if (c == ',')
                {
                    count++;
                }
                else if (!char.IsAsciiDigit(c) && c is not '-' and not ' ')
                {
                    findings.Add(RangeAbuse);
                    return;
                }
            }

            if (count > 5)
            {
                findings.Add(RangeAbuse);
                return;
            }
        }
    }

    private static bool IsNumericHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        if (host[0] == '[')
        {
            return true;
        }

        var span = host.AsSpan();
        var colon = span.LastIndexOf(':');
        if (colon >= 0)
        {
            span = span[..colon];
        }

        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c) && c != '.')
            {
                return false;
            }
        }

        return span.Length > 0;
    }
}
