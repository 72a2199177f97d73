using System.Security.Claims;
using Analytics.Messaging;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.Routes;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Analytics.Sidecar.Auth;

/// <summary>
/// Step 3 of the request path: authenticates the caller (JWT bearer or API key) and applies the
/// route's policy (anonymous, authenticated, roles, scopes). 401 for missing or bad
/// credentials, 403 for a valid caller without the right role or scope.
/// </summary>
internal sealed class RouteAuthMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IRouteOptionsProvider _routes;
    private readonly ApiKeyValidator _apiKeys;
    private readonly JwtOptions _jwt;
    private readonly string _challenge;

    public RouteAuthMiddleware(RequestDelegate next, IRouteOptionsProvider routes, ApiKeyValidator apiKeys, IOptions<SidecarAuthOptions> auth)
    {
        _next = next;
        _routes = routes;
        _apiKeys = apiKeys;
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

    public async Task InvokeAsync(HttpContext context)
    {
        var telemetry = RequestTelemetry.For(context);
        var route = _routes.Get(telemetry.RouteId ?? "");
        var headers = context.Request.Headers;
        var authorization = headers.Authorization.ToString();
        var hasBearer = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        var apiKey = headers[_apiKeys.Header].ToString();
        var hasApiKey = apiKey.Length > 0;

        Caller? caller = null;
        if (hasBearer && hasApiKey)
        {
            await Unauthorized(context, telemetry, "ambiguous_credentials", _challenge, "Send either a bearer token or an API key, not both.");
            return;
        }

        if (hasBearer)
        {
            if (!_jwt.Enabled)
            {
                await Unauthorized(context, telemetry, "bearer_not_accepted", _challenge, "This API does not accept bearer tokens.");
                return;
            }

            var result = await context.AuthenticateAsync(JwtBearerSetup.Scheme);
            if (!result.Succeeded || result.Principal is null)
            {
                var reason = JwtBearerSetup.FailureReason(result.Failure);
                await Unauthorized(context, telemetry, reason, $"Bearer realm=\"api\", error=\"invalid_token\", error_description=\"{reason}\"", "The bearer token is not valid.");
                return;
            }

            caller = Caller.FromJwt(result.Principal, _jwt.RoleClaims);
            if (caller.Id.Length == 0)
            {
                await Unauthorized(context, telemetry, "missing_subject", "Bearer realm=\"api\", error=\"invalid_token\"", "The bearer token has no subject.");
                return;
            }
        }
        else if (hasApiKey)
        {
            var key = _apiKeys.Validate(apiKey);
            if (key is null)
            {
                await Unauthorized(context, telemetry, "invalid_api_key", _challenge, "The API key is not valid.");
                return;
            }

            caller = new Caller(PrincipalKinds.ApiKey, key.Id, key.Roles, key.Scopes);
        }

        if (caller is null)
        {
            if (string.Equals(route.Auth, RouteAuthModes.Anonymous, StringComparison.OrdinalIgnoreCase))
            {
                telemetry.Auth = AuthInfo.AnonymousAccess;
                await _next(context);
                return;
            }

            await Unauthorized(context, telemetry, "missing_credentials", _challenge, "This route requires authentication.");
            return;
        }

        telemetry.Principal = new PrincipalInfo(caller.Kind, caller.Id);
        context.Features.Set(caller);

        if (!HasAnyRole(caller, route.Roles))
        {
            await Forbidden(context, telemetry, "missing_role", "Bearer realm=\"api\", error=\"insufficient_scope\"", "The caller lacks the role this route requires.");
            return;
        }

        if (MissingScope(caller, route.Scopes) is { } scope)
        {
            await Forbidden(context, telemetry, "missing_scope", $"Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"{scope}\"", "The caller lacks a scope this route requires.");
            return;
        }

        telemetry.Auth = AuthInfo.Succeeded;
        await _next(context);
    }

    private static bool HasAnyRole(Caller caller, List<string> required)
    {
        if (required.Count == 0)
        {
            return true;
        }

        foreach (var role in required)
        {
            if (caller.Roles.Contains(role, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string? MissingScope(Caller caller, List<string> required)
    {
        foreach (var scope in required)
        {
            if (!caller.Scopes.Contains(scope, StringComparer.Ordinal))
            {
                return scope;
            }
        }

        return null;
    }

    private static Task Unauthorized(HttpContext context, RequestTelemetry telemetry, string reason, string challenge, string detail)
    {
        telemetry.Auth = new AuthInfo(AuthOutcomes.Failure, reason);
        context.Response.Headers[HeaderNames.WWWAuthenticate] = challenge;
        return ProblemResponses.RejectAsync(context, StatusCodes.Status401Unauthorized, RejectionReasons.Authentication, "Unauthorized", detail);
    }

    private static Task Forbidden(HttpContext context, RequestTelemetry telemetry, string reason, string challenge, string detail)
    {
        telemetry.Auth = new AuthInfo(AuthOutcomes.Forbidden, reason);
        context.Response.Headers[HeaderNames.WWWAuthenticate] = challenge;
        return ProblemResponses.RejectAsync(context, StatusCodes.Status403Forbidden, RejectionReasons.Authorization, "Forbidden", detail);
    }
}

/// <summary>The authenticated caller, as later steps (enforcement, rate limiting, forwarding) need it.</summary>
internal sealed record Caller(string Kind, string Id, IReadOnlyList<string> Roles, IReadOnlyList<string> Scopes)
{
    /// <summary>The rate-limit partition of this caller, <c>kind:id</c>.</summary>
    public string PartitionKey { get; } = Kind + ":" + Id;

    public static Caller FromJwt(ClaimsPrincipal principal, IReadOnlyList<string> roleClaims)
    {
        var roles = new List<string>();
        var scopes = new List<string>();
        foreach (var claim in principal.Claims)
        {
            if (claim.Type is "scope" or "scp")
            {
                scopes.AddRange(claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
            else if (roleClaims.Contains(claim.Type, StringComparer.Ordinal))
            {
                roles.Add(claim.Value);
            }
        }

        var subject = principal.FindFirst("sub")?.Value ?? "";
        return new Caller(PrincipalKinds.Jwt, subject, roles, scopes);
    }
}
