using System.Buffers;
using System.Collections.Frozen;

namespace Analytics.Inspection.Detectors;

/// <summary>
/// The grammars of the standard headers every browser and client sends (media-type and
/// language lists, fetch metadata, client hints, ETags, request and trace ids, forwarded
/// addresses, origins, bearer tokens, dates). A value that fits its header's grammar has no
/// character or structure an injection needs — no quote outside the grammar's quoting, no '..',
/// no leading '/', no spaces between words — so the detectors are not run on it; a value that does
/// not fit is scanned like any other. This keeps every-header inspection within budget: a
/// browser's twenty headers are mostly these.
/// </summary>
internal static class HeaderShapes
{
    private enum Shape
    {
        TokenList,
        BrandList,
        ETag,
        Id,
        Addresses,
        Origin,
        Credentials,
        Date,
    }

    private static readonly FrozenDictionary<string, Shape> Shapes = new Dictionary<string, Shape>(StringComparer.OrdinalIgnoreCase)
    {
        ["Accept"] = Shape.TokenList, ["Accept-Encoding"] = Shape.TokenList, ["Accept-Language"] = Shape.TokenList, ["Accept-Charset"] = Shape.TokenList,
        ["Cache-Control"] = Shape.TokenList, ["Connection"] = Shape.TokenList, ["Pragma"] = Shape.TokenList, ["TE"] = Shape.TokenList,
        ["Upgrade-Insecure-Requests"] = Shape.TokenList, ["DNT"] = Shape.TokenList, ["Sec-GPC"] = Shape.TokenList, ["Sec-Fetch-Dest"] = Shape.TokenList,
        ["Sec-Fetch-Mode"] = Shape.TokenList, ["Sec-Fetch-Site"] = Shape.TokenList, ["Sec-Fetch-User"] = Shape.TokenList, ["Sec-CH-UA-Mobile"] = Shape.TokenList,
        ["Priority"] = Shape.TokenList, ["Content-Encoding"] = Shape.TokenList, ["Save-Data"] = Shape.TokenList, ["Access-Control-Request-Method"] = Shape.TokenList,
        ["Access-Control-Request-Headers"] = Shape.TokenList, ["Sec-Purpose"] = Shape.TokenList, ["Purpose"] = Shape.TokenList,
        ["Sec-CH-UA"] = Shape.BrandList, ["Sec-CH-UA-Platform"] = Shape.BrandList, ["Sec-CH-UA-Full-Version-List"] = Shape.BrandList,
        ["Sec-CH-UA-Platform-Version"] = Shape.BrandList, ["Sec-CH-UA-Arch"] = Shape.BrandList, ["Sec-CH-UA-Bitness"] = Shape.BrandList, ["Sec-CH-UA-Model"] = Shape.BrandList,
        ["If-None-Match"] = Shape.ETag, ["If-Match"] = Shape.ETag,
        ["X-Request-Id"] = Shape.Id, ["X-Correlation-Id"] = Shape.Id, ["Request-Id"] = Shape.Id, ["traceparent"] = Shape.Id, ["X-Amzn-Trace-Id"] = Shape.Id,
        ["X-B3-TraceId"] = Shape.Id, ["X-B3-SpanId"] = Shape.Id, ["X-B3-ParentSpanId"] = Shape.Id, ["X-B3-Sampled"] = Shape.Id,
        ["X-Forwarded-For"] = Shape.Addresses, ["X-Real-IP"] = Shape.Addresses,
        ["Origin"] = Shape.Origin,
        ["Authorization"] = Shape.Credentials, ["Proxy-Authorization"] = Shape.Credentials,
        ["If-Modified-Since"] = Shape.Date, ["If-Unmodified-Since"] = Shape.Date, ["Date"] = Shape.Date,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly SearchValues<char> TokenChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*+_-.");
    private static readonly SearchValues<char> BrandChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.()-");
    private static readonly SearchValues<char> IdChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=;.:");
    private static readonly SearchValues<char> AddressChars = SearchValues.Create("0123456789abcdefABCDEF.:, []");
    private static readonly SearchValues<char> HostChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
    private static readonly SearchValues<char> Base64UrlChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~+/=-");
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");
    private static readonly SearchValues<char> DateChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,:");

    /// <summary>True when <paramref name="value"/> fits the grammar of the standard header <paramref name="name"/>.</summary>
    public static bool Fits(string name, string value)
    {
        if (!Shapes.TryGetValue(name, out var shape) || value.Length > 1024)
        {
            return false;
        }

        var v = value.AsSpan().Trim();
        return shape switch
        {
            Shape.TokenList => IsTokenList(v),
            Shape.BrandList => IsBrandList(v),
            Shape.ETag => IsETagList(v),
            Shape.Id => v.IndexOfAnyExcept(IdChars) < 0 && !v.Contains("..", StringComparison.Ordinal),
            Shape.Addresses => v.IndexOfAnyExcept(AddressChars) < 0,
            Shape.Origin => IsOrigin(v),
            Shape.Credentials => IsCredentials(v),
            Shape.Date => v.IndexOfAnyExcept(DateChars) < 0,
            _ => false,
        };
    }

    /// <summary><c>text/html,application/xml;q=0.9, */*;q=0.8</c>: items of token[/token] with token=token parameters.</summary>
    private static bool IsTokenList(ReadOnlySpan<char> v)
    {
        foreach (var itemRange in v.Split(','))
        {
            var item = v[itemRange].Trim();
            if (item.IsEmpty)
            {
                continue;
            }

            var first = true;
            foreach (var partRange in item.Split(';'))
            {
                var part = item[partRange].Trim();
                if (first)
                {
                    var slash = part.IndexOf('/');
                    if (!IsToken(slash < 0 ? part : part[..slash]) || (slash >= 0 && !IsToken(part[(slash + 1)..])))
                    {
                        return false;
                    }

                    first = false;
                    continue;
                }

                var eq = part.IndexOf('=');
                if (eq <= 0 || !IsToken(part[..eq].Trim()) || !IsToken(part[(eq + 1)..].Trim()))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsToken(ReadOnlySpan<char> t) =>
        !t.IsEmpty && t.Length <= 64 && t.IndexOfAnyExcept(TokenChars) < 0 && t[0] != '.' && !t.Contains("..", StringComparison.Ordinal);

    /// <summary><c>"Chromium";v="120", "Not_A Brand";v="8"</c>, <c>"Linux"</c>, <c>?0</c>.</summary>
    private static bool IsBrandList(ReadOnlySpan<char> v)
    {
        if (v is "?0" or "?1")
        {
            return true;
        }

        foreach (var itemRange in v.Split(','))
        {
            foreach (var partRange in v[itemRange].Split(';'))
            {
                var part = v[itemRange][partRange].Trim();
                var eq = part.IndexOf('=');
                if (eq >= 0)
                {
                    if (!IsToken(part[..eq]))
                    {
                        return false;
                    }

                    part = part[(eq + 1)..];
                }

                if (part.Length < 2 || part[0] != '"' || part[^1] != '"' || part[1..^1].IndexOfAnyExcept(BrandChars) >= 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary><c>W/"5e15153d-120f"</c>, a list of them, or <c>*</c>.</summary>
    private static bool IsETagList(ReadOnlySpan<char> v)
    {
        if (v is "*")
        {
            return true;
        }

        foreach (var range in v.Split(','))
        {
            var tag = v[range].Trim();
            if (tag.StartsWith("W/", StringComparison.Ordinal))
            {
                tag = tag[2..];
            }

            if (tag.Length < 2 || tag[0] != '"' || tag[^1] != '"' || tag[1..^1].IndexOfAnyExcept(TokenChars) >= 0 || tag.Contains("..", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>https://shop.example.com:8443</c> or <c>null</c>.</summary>
    private static bool IsOrigin(ReadOnlySpan<char> v)
    {
        if (v is "null")
        {
            return true;
        }

        var rest = v.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? v[8..] : v.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? v[7..] : [];
        var colon = rest.IndexOf(':');
        var host = colon < 0 ? rest : rest[..colon];
        return !host.IsEmpty && host.IndexOfAnyExcept(HostChars) < 0 && !host.Contains("..", StringComparison.Ordinal)
            && (colon < 0 || (rest.Length > colon + 1 && rest[(colon + 1)..].IndexOfAnyExcept(Digits) < 0));
    }

    /// <summary><c>Bearer &lt;token&gt;</c> or <c>Basic &lt;base64&gt;</c>: one scheme and one opaque token.</summary>
    private static bool IsCredentials(ReadOnlySpan<char> v)
    {
        var space = v.IndexOf(' ');
        if (space <= 0)
        {
            return false;
        }

        var scheme = v[..space];
        var token = v[(space + 1)..];
        return (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            && !token.IsEmpty && token.IndexOfAnyExcept(Base64UrlChars) < 0;
    }
}
