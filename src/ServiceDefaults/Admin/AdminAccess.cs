using System.Security.Cryptography;
using System.Text;
using Analytics.ServiceDefaults.Hosting;
using Analytics.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>
/// Who may use which admin path: the probes and the sign-in page are open; <c>/metrics</c>
/// takes the admin or the metrics token; everything else takes the admin token as a bearer
/// header or a signed-in browser session, and a session's state-changing requests must come
/// from the admin listener's own pages (CSRF).
/// </summary>
internal static class AdminAccess
{
    public const string SessionCookie = "analytics_admin_session";
    public const string SignInCookie = "analytics_admin_signin";
    private const string AuthenticatedItem = "analytics.admin.authenticated";

    public static Task Gate(HttpContext context, RequestDelegate next, AdminOptions options, AdminSessions sessions)
    {
        var path = context.Request.Path;
        if (path.Equals("/healthz", StringComparison.Ordinal)
            || path.Equals("/readyz", StringComparison.Ordinal)
            || path.Equals(AdminSignIn.SignInPath, StringComparison.Ordinal))
        {
            return next(context);
        }

        if (path.Equals(ServiceTelemetry.ScrapePath, StringComparison.Ordinal) && PresentedMatches(context, options.MetricsToken))
        {
            return next(context);
        }

        if (PresentedMatches(context, options.Token))
        {
            context.Items[AuthenticatedItem] = true;
            return next(context);
        }

        if (sessions.IsOpen(context.Request.Cookies[SessionCookie]))
        {
            if (!IsSafe(context.Request.Method) && !IsSameOrigin(context))
            {
                return Problem(context, StatusCodes.Status403Forbidden, "Forbidden", "A state-changing request with the session cookie must come from the admin pages themselves (Origin or Sec-Fetch-Site).");
            }

            context.Items[AuthenticatedItem] = true;
            return next(context);
        }

        if (HttpMethods.IsGet(context.Request.Method) && WantsHtml(context.Request))
        {
            context.Response.Redirect(AdminSignIn.SignInPath + "?returnUrl=" + Uri.EscapeDataString(context.Request.PathBase + path + context.Request.QueryString));
            return Task.CompletedTask;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"admin\"";
        return Problem(context, StatusCodes.Status401Unauthorized, "Unauthorized", "The admin API requires the admin token as a bearer token.");
    }

    /// <summary>True once the admin gate let this request through with the admin token or a session.</summary>
    public static bool IsAuthenticated(HttpContext context) => context.Items.ContainsKey(AuthenticatedItem);

    /// <summary>Compares the bearer (or X-Admin-Token) credential with <paramref name="expected"/> in constant time.</summary>
    public static bool PresentedMatches(HttpContext context, string? expected)
    {
        string? presented = null;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }
        else if (context.Request.Headers.TryGetValue("X-Admin-Token", out var header))
        {
            presented = header.ToString();
        }

        return FixedTimeEquals(presented, expected);
    }

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

    internal static Task Problem(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new ProblemBody("about:blank", title, status, detail),
            ServiceDefaultsJsonContext.Default.ProblemBody,
            contentType: "application/problem+json");
    }
}
