using Analytics.Messaging;
using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.Routes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Analytics.Sidecar.Auth;

/// <summary>
/// Step 3 of the request path: authenticates the caller (JWT bearer or API key) and applies the
/// route's policy (anonymous, authenticated, roles, scopes). 401 for missing or bad
/// credentials, 403 for a valid caller without the right role or scope. An API key or an
/// anonymous request completes synchronously; only a bearer token goes through JwtBearer.
/// </summary>
internal sealed class RouteAuthenticator
{
    private readonly ApiKeyValidator _apiKeys;
    private readonly ClientCertificateCallers _certificates;
    private readonly JwtOptions _jwt;
    private readonly string _challenge;
    private readonly AuthMetrics _metrics;

    public RouteAuthenticator(ApiKeyValidator apiKeys, ClientCertificateCallers certificates, IOptions<SidecarAuthOptions> auth, AuthMetrics metrics)
    {
        _metrics = metrics;
        _apiKeys = apiKeys;
        _certificates = certificates;
        _jwt = auth.Value.Jwt;
        var challenges = new List<string>();
        if (_jwt.Enabled)
        {
            challenges.Add("Bearer realm=\"api\"");
        }

        if (auth.Value.ApiKeys.Keys.Count > 0)
        {
            challenges.Add($"ApiKey header=\"{_apiKeys.Header}\"");
        }

        _challenge = challenges.Count > 0 ? string.Join(", ", challenges) : "Bearer realm=\"api\"";
    }

    /// <summary>True when the request may go on; otherwise the 401/403 has been written.</summary>
    public ValueTask<bool> AuthenticateAsync(HttpContext context, RequestContext request, RoutePolicy route)
    {
        if (route.ClientCertificate != ClientCertificateModes.Ignore)
        {
            // Kestrel validated the chain against the configured CA at the handshake.
            var certificate = context.Connection.ClientCertificate;
            if (certificate is not null && (route.ClientCertificate == ClientCertificateModes.Require || !HasHeaderCredential(context.Request.Headers)))
            {
                return Authorize(context, request, route, _certificates.For(certificate));
            }

            if (route.ClientCertificate == ClientCertificateModes.Require)
            {
                _metrics.CertificateMissing();
                return Refuse(Unauthorized(context, request, "missing_client_certificate", "Certificate", "This route requires a TLS client certificate."));
            }
        }

        var headers = context.Request.Headers;
        var authorization = headers.Authorization;
        var hasBearer = authorization.Count > 0 && authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        var apiKey = headers[_apiKeys.Header];
        var hasApiKey = apiKey.Count > 0 && apiKey.ToString().Length > 0;

        if (hasBearer && hasApiKey)
        {
            _metrics.CredentialsAmbiguous();
            return Refuse(Unauthorized(context, request, "ambiguous_credentials", _challenge, "Send either a bearer token or an API key, not both."));
        }

        if (hasBearer)
        {
            return AuthenticateBearerAsync(context, request, route);
        }

        if (hasApiKey)
        {
            var caller = _apiKeys.Authenticate(apiKey.ToString());
            if (caller is null)
            {
                _metrics.ApiKeyInvalid();
                return Refuse(Unauthorized(context, request, "invalid_api_key", _challenge, "The API key is not valid."));
            }

            return Authorize(context, request, route, caller);
        }

        if (route.Anonymous)
        {
            _metrics.AnonymousAccess();
            request.Auth = AuthInfo.AnonymousAccess;
            return ValueTask.FromResult(true);
        }

        _metrics.CredentialsMissing();
        return Refuse(Unauthorized(context, request, "missing_credentials", _challenge, "This route requires authentication."));
    }

    private bool HasHeaderCredential(IHeaderDictionary headers) =>
        headers.Authorization.Count > 0 || headers[_apiKeys.Header].Count > 0;

    private async ValueTask<bool> AuthenticateBearerAsync(HttpContext context, RequestContext request, RoutePolicy route)
    {
        if (!_jwt.Enabled)
        {
            _metrics.BearerInvalid();
            await Unauthorized(context, request, "bearer_not_accepted", _challenge, "This API does not accept bearer tokens.");
            return false;
        }

        var result = await context.AuthenticateAsync(JwtBearerSetup.Scheme);
        if (!result.Succeeded || result.Principal is null)
        {
            _metrics.BearerInvalid();
            var reason = JwtBearerSetup.FailureReason(result.Failure);
            await Unauthorized(context, request, reason, $"Bearer realm=\"api\", error=\"invalid_token\", error_description=\"{reason}\"", "The bearer token is not valid.");
            return false;
        }

        var caller = Caller.FromJwt(result.Principal, _jwt.RoleClaims);
        if (caller.Id.Length == 0)
        {
            _metrics.BearerInvalid();
            await Unauthorized(context, request, "missing_subject", "Bearer realm=\"api\", error=\"invalid_token\"", "The bearer token has no subject.");
            return false;
        }

        return await Authorize(context, request, route, caller);
    }

    private ValueTask<bool> Authorize(HttpContext context, RequestContext request, RoutePolicy route, Caller caller)
    {
        request.Principal = caller.Principal;
        request.Caller = caller;

        if (!caller.HasAnyRole(route.Roles))
        {
            _metrics.Refused(caller.Kind);
            return Refuse(Forbidden(context, request, "missing_role", "Bearer realm=\"api\", error=\"insufficient_scope\"", "The caller lacks the role this route requires."));
        }

        if (caller.MissingScope(route.Scopes) is { } scope)
        {
            _metrics.Refused(caller.Kind);
            return Refuse(Forbidden(context, request, "missing_scope", $"Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"{scope}\"", "The caller lacks a scope this route requires."));
        }

        _metrics.Authorized(caller.Kind);
        request.Auth = AuthInfo.Succeeded;
        return ValueTask.FromResult(true);
    }

    private static ValueTask<bool> Refuse(Task response) =>
        response.IsCompletedSuccessfully ? ValueTask.FromResult(false) : AwaitRefusal(response);

    private static async ValueTask<bool> AwaitRefusal(Task response)
    {
        await response;
        return false;
    }

    private static Task Unauthorized(HttpContext context, RequestContext request, string reason, string challenge, string detail)
    {
        request.Auth = new AuthInfo(AuthOutcomes.Failure, reason);
        context.Response.Headers[HeaderNames.WWWAuthenticate] = challenge;
        return ProblemResponses.RejectAsync(context, StatusCodes.Status401Unauthorized, RejectionReasons.Authentication, "Unauthorized", detail);
    }

    private static Task Forbidden(HttpContext context, RequestContext request, string reason, string challenge, string detail)
    {
        request.Auth = new AuthInfo(AuthOutcomes.Forbidden, reason);
        context.Response.Headers[HeaderNames.WWWAuthenticate] = challenge;
        return ProblemResponses.RejectAsync(context, StatusCodes.Status403Forbidden, RejectionReasons.Authorization, "Forbidden", detail);
    }
}
