using System.Security.Cryptography;
using System.Text;
using Analytics.ServiceDefaults.Hosting;
using Analytics.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>
/// Who may use which admin path: the probes and the sign-in page are open; <c>/metrics</c>
/// takes any admin credential or the metrics token; everything else takes a named credential
/// (or the single admin token) as a bearer header, or a signed-in browser session, and a
/// session's state-changing requests must come from the admin listener's own pages (CSRF).
/// Roles: reading needs <c>viewer</c>; changing needs what the endpoint declares
/// (<see cref="AdminRoleRequirement"/>), else <c>admin</c>.
/// </summary>
internal static class AdminAccess
{
    public const string SessionCookie = "analytics_admin_session";
    public const string SignInCookie = "analytics_admin_signin";
    private const string PrincipalItem = "analytics.admin.principal";

    public static Task Gate(HttpContext context, RequestDelegate next, AdminCredentials credentials, AdminOptions options, AdminSessions sessions)
    {
        var path = context.Request.Path;
        if (path.Equals("/healthz", StringComparison.Ordinal)
            || path.Equals("/readyz", StringComparison.Ordinal)
            || path.Equals(AdminSignIn.SignInPath, StringComparison.Ordinal))
        {
            return next(context);
        }

        var presented = Presented(context);
        if (path.Equals(ServiceTelemetry.ScrapePath, StringComparison.Ordinal) && FixedTimeEquals(presented, options.MetricsToken))
        {
            return next(context);
        }

        var principal = credentials.Match(presented);
        if (principal is null && sessions.Find(context.Request.Cookies[SessionCookie]) is { } session)
        {
            if (!IsSafe(context.Request.Method) && !IsSameOrigin(context))
            {
                return Problem(context, StatusCodes.Status403Forbidden, "Forbidden", "A state-changing request with the session cookie must come from the admin pages themselves (Origin or Sec-Fetch-Site).");
            }

            principal = session;
        }

        if (principal is not null)
        {
            context.Items[PrincipalItem] = principal;
            // Below operator nothing changes anything; the endpoint's own requirement is checked after routing.
            var least = IsSafe(context.Request.Method) || path.Equals(AdminSignIn.SignOutPath, StringComparison.Ordinal) ? AdminRole.Viewer : AdminRole.Operator;
            return principal.Has(least) ? next(context) : Forbidden(context, principal, least);
        }

        if (HttpMethods.IsGet(context.Request.Method) && WantsHtml(context.Request))
        {
            context.Response.Redirect(AdminSignIn.SignInPath + "?returnUrl=" + Uri.EscapeDataString(context.Request.PathBase + path + context.Request.QueryString));
            return Task.CompletedTask;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"admin\"";
        return Problem(context, StatusCodes.Status401Unauthorized, "Unauthorized", "The admin API requires an admin credential as a bearer token.");
    }

    /// <summary>
    /// After routing: the endpoint's role (viewer to read, admin to change unless it declares
    /// less) and, for endpoints that take JSON, a JSON content type (415 otherwise).
    /// </summary>
    public static Task EndpointPolicy(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || Principal(context) is not { } principal)
        {
            return next(context);
        }

        var required = endpoint.Metadata.GetMetadata<AdminRoleRequirement>()?.Role
                       ?? (IsSafe(context.Request.Method) ? AdminRole.Viewer : AdminRole.Admin);
        if (!principal.Has(required))
        {
            return Forbidden(context, principal, required);
        }

        if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts && !IsSafe(context.Request.Method)
            && !Accepts(accepts.ContentTypes, context.Request.ContentType))
        {
            return Problem(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
                $"This endpoint takes {string.Join(" or ", accepts.ContentTypes)} (Content-Type).");
        }

        return next(context);
    }

    /// <summary>The credential the gate let this request in with (token or session); null outside the admin branch.</summary>
    public static AdminPrincipal? Principal(HttpContext context) =>
        context.Items.TryGetValue(PrincipalItem, out var value) ? value as AdminPrincipal : null;

    /// <summary>True once the admin gate let this request through with an admin credential or a session.</summary>
    public static bool IsAuthenticated(HttpContext context) => Principal(context) is not null;

    /// <summary>The bearer (or X-Admin-Token) credential presented, or null.</summary>
    public static string? Presented(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return context.Request.Headers.TryGetValue("X-Admin-Token", out var header) ? header.ToString() : null;
    }

    /// <summary>Compares the bearer (or X-Admin-Token) credential with <paramref name="expected"/> in constant time.</summary>
    public static bool PresentedMatches(HttpContext context, string? expected) => FixedTimeEquals(Presented(context), expected);

    /// <summary>Constant-time comparison; an empty expected value never matches.</summary>
    public static bool FixedTimeEquals(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || presented is null)
        {
            return false;
        }

        var a = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>Fetch metadata first (every current browser sends it), else the Origin header; neither means refuse.</summary>
    private static bool IsSameOrigin(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.TryGetValue("Sec-Fetch-Site", out var site))
        {
            return string.Equals(site, "same-origin", StringComparison.Ordinal);
        }

        return headers.Origin is { Count: 1 } origin
            && string.Equals(origin.ToString(), $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static Task Forbidden(HttpContext context, AdminPrincipal principal, AdminRole required) =>
        Problem(context, StatusCodes.Status403Forbidden, "Forbidden",
            $"The credential '{principal.Name}' has the role {principal.Role.ToString().ToLowerInvariant()}; this needs {required.ToString().ToLowerInvariant()}.");

    private static bool Accepts(IReadOnlyList<string> accepted, string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        foreach (var type in accepted)
        {
            if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(type, out var candidate) && media.IsSubsetOf(candidate))
            {
                return true;
            }
        }

        return false;
    }

    internal static Task Problem(HttpContext context, int status, string title, string? detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new ProblemBody("about:blank", title, status, detail),
            ServiceDefaultsJsonContext.Default.ProblemBody,
            contentType: "application/problem+json");
    }
}
