using System.Collections.Frozen;

namespace Analytics.Sidecar.Inspection.Detectors;

/// <summary>
/// Session fixation (CRS 943): a value that sets a cookie (<c>document.cookie=…; expires=</c>,
/// <c>http-equiv="Set-Cookie"</c>), or a session identifier smuggled in a URL
/// (<c>;jsessionid=</c>, <c>phpsessid=</c>) inside a value. Session-id parameter names are
/// judged per request by <see cref="IsSessionParameter"/>, which needs the Referer.
/// </summary>
internal sealed class SessionFixationDetector : IDetector
{
    public static readonly Rule CookieSetting = new("session-cookie-setting", Categories.SessionFixation, 5, "a value that sets a cookie");
    public static readonly Rule SessionInValue = new("session-id-in-value", Categories.SessionFixation, 5, "a session identifier embedded in a value");
    public static readonly Rule SessionParameter = new("session-id-parameter", Categories.SessionFixation, 5, "a session-id parameter without a same-site Referer");

    private static readonly NeedleSet SessionNames = Text.Set(["jsessionid=", "phpsessid=", "aspsessionid", "asp.net_sessionid=", "cfid=", "cftoken=", "weblogicsession="]);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ParameterNames =
        new[] { "jsessionid", "phpsessid", "phpsession", "aspsessionid", "asp.net_sessionid", "cfid", "cftoken", "cfsid", "weblogicsession", "jservsession", "jwsession" }
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    public void Scan(string value, in ValueChars chars, FindingSet findings)
    {
        if (!chars.Has('=') && !chars.Has('-'))
        {
            return;
        }

        var s = value.AsSpan();
        var cookie = s.IndexOf(".cookie", StringComparison.OrdinalIgnoreCase);
        if (cookie >= 0)
        {
            var rest = s[cookie..];
            var semi = rest.IndexOf(';');
            if (rest.Contains('=') && semi >= 0 && (Text.Has(rest[semi..], "expires") || Text.Has(rest[semi..], "domain") || Text.Has(rest[semi..], "path=")))
            {
                findings.Add(CookieSetting);
            }
        }

        if (chars.Has('-') && Text.Has(s, "http-equiv") && Text.Has(s, "set-cookie"))
        {
            findings.Add(CookieSetting);
        }

        if (chars.Has('=') && !CarriesOwnSession(findings.Current) && Text.HasAny(s, SessionNames) && HasSessionAssignment(s))
        {
            findings.Add(SessionInValue);
        }
    }

    /// <summary>
    /// Where a session id is at home: the Cookie header itself and the headers that repeat the
    /// client's own URL (Referer, Origin, Location-like). A cookie's value or an application header
    /// carrying "/login;jsessionid=…" hands somebody a session.
    /// </summary>
    private static bool CarriesOwnSession(in ValueLocation at) => at.Kind switch
    {
        LocationKind.Header => at.Name is null || at.Name.Equals("cookie", StringComparison.OrdinalIgnoreCase) || at.Name.Equals("referer", StringComparison.OrdinalIgnoreCase)
            || at.Name.Equals("origin", StringComparison.OrdinalIgnoreCase) || at.Name.Equals("content-location", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>A parameter named like a platform's session id (<c>jsessionid</c>, <c>PHPSESSID</c>, …); generic names like <c>sid</c> are ordinary API parameters.</summary>
    public static bool IsSessionParameter(ReadOnlySpan<char> name) => name.Length >= 3 && ParameterNames.Contains(name);

    /// <summary>"…;jsessionid=ABC" or "?PHPSESSID=…": the name after a URL separator, then a value.</summary>
    private static bool HasSessionAssignment(ReadOnlySpan<char> s)
    {
        foreach (var name in (ReadOnlySpan<string>)["jsessionid=", "phpsessid=", "aspsessionid", "asp.net_sessionid=", "cfid=", "cftoken=", "weblogicsession="])
        {
            var at = s.IndexOf(name, StringComparison.OrdinalIgnoreCase);
            if (at > 0 && s[at - 1] is ';' or '?' or '&' or '/' && at + name.Length < s.Length)
            {
                return true;
            }
        }

        return false;
    }
}
