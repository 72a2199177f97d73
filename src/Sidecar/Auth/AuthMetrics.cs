using System.Diagnostics.Metrics;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Telemetry;

namespace Analytics.Sidecar.Auth;

/// <summary>
/// Authentication as the request path decides it (meter <c>Analytics.Sidecar.Auth</c>): outcomes
/// by scheme and result, and the requests the failed-authentication limiter refused before their
/// credentials were looked at. Every combination is resolved at start-up, so counting on the
/// request path is one interlocked add. <c>GET /stats</c> reads the same counts.
/// </summary>
internal sealed class AuthMetrics
{
    public const string MeterName = "Analytics.Sidecar.Auth";

    /// <summary>The <c>scheme</c> tag: the credential the request carried (<c>none</c>: none, or both kinds at once).</summary>
    public const string ApiKey = "api_key";
    public const string Jwt = "jwt";
    public const string Mtls = "mtls";
    public const string Anonymous = "anonymous";
    public const string None = "none";

    /// <summary>The <c>result</c> tag.</summary>
    public const string Ok = "ok";
    public const string Missing = "missing";
    public const string Invalid = "invalid";
    public const string Forbidden = "forbidden";

    private readonly TaggedCounts _outcomes;
    private readonly TaggedCount _apiKeyOk;
    private readonly TaggedCount _apiKeyInvalid;
    private readonly TaggedCount _apiKeyForbidden;
    private readonly TaggedCount _jwtOk;
    private readonly TaggedCount _jwtInvalid;
    private readonly TaggedCount _jwtForbidden;
    private readonly TaggedCount _mtlsOk;
    private readonly TaggedCount _mtlsMissing;
    private readonly TaggedCount _mtlsForbidden;
    private readonly TaggedCount _anonymous;
    private readonly TaggedCount _missing;
    private readonly TaggedCount _ambiguous;
    private readonly TaggedCount _limited;

    public AuthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _outcomes = new TaggedCounts(meter, "analytics.sidecar.auth.outcomes", "{request}",
            "Authentication and route-policy outcomes, by scheme (api_key, jwt, mtls, anonymous, none) and result (ok, missing, invalid, forbidden)",
            "scheme", "result");
        var limited = new TaggedCounts(meter, "analytics.sidecar.auth.failed_limit.refusals", "{request}",
            "Requests refused with 429 by the failed-authentication limiter before their credentials were looked at");
        _apiKeyOk = _outcomes.For(ApiKey, Ok);
        _apiKeyInvalid = _outcomes.For(ApiKey, Invalid);
        _apiKeyForbidden = _outcomes.For(ApiKey, Forbidden);
        _jwtOk = _outcomes.For(Jwt, Ok);
        _jwtInvalid = _outcomes.For(Jwt, Invalid);
        _jwtForbidden = _outcomes.For(Jwt, Forbidden);
        _mtlsOk = _outcomes.For(Mtls, Ok);
        _mtlsMissing = _outcomes.For(Mtls, Missing);
        _mtlsForbidden = _outcomes.For(Mtls, Forbidden);
        _anonymous = _outcomes.For(Anonymous, Ok);
        _missing = _outcomes.For(None, Missing);
        _ambiguous = _outcomes.For(None, Invalid);
        _limited = limited.For();
    }

    /// <summary>Outcomes since start by result (ok, missing, invalid, forbidden), over every scheme.</summary>
    public Dictionary<string, long> ByResult() => _outcomes.SumBy("result");

    /// <summary>Requests the failed-authentication limiter refused since start.</summary>
    public long LimiterRefusals => _limited.Value;

    public void ApiKeyInvalid() => _apiKeyInvalid.Increment();

    /// <summary>A bearer token that was refused (bad, expired, without a subject, or not accepted here).</summary>
    public void BearerInvalid() => _jwtInvalid.Increment();

    /// <summary>A route that requires a client certificate got none.</summary>
    public void CertificateMissing() => _mtlsMissing.Increment();

    /// <summary>No credential on a route that needs one.</summary>
    public void CredentialsMissing() => _missing.Increment();

    /// <summary>A bearer token and an API key at once.</summary>
    public void CredentialsAmbiguous() => _ambiguous.Increment();

    /// <summary>A request without credentials on an anonymous route.</summary>
    public void AnonymousAccess() => _anonymous.Increment();

    /// <summary>A valid caller the route's policy admits.</summary>
    public void Authorized(string principalKind) => ForKind(principalKind, _apiKeyOk, _jwtOk, _mtlsOk).Increment();

    /// <summary>A valid caller without the route's role or scope.</summary>
    public void Refused(string principalKind) => ForKind(principalKind, _apiKeyForbidden, _jwtForbidden, _mtlsForbidden).Increment();

    /// <summary>A request the failed-authentication limiter answered with 429.</summary>
    public void LimiterRefused() => _limited.Increment();

    private static TaggedCount ForKind(string principalKind, TaggedCount apiKey, TaggedCount jwt, TaggedCount mtls) => principalKind switch
    {
        PrincipalKinds.ApiKey => apiKey,
        PrincipalKinds.Certificate => mtls,
        _ => jwt,
    };
}
