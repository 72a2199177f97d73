using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>
/// A sign-in page for browsers (which cannot send a bearer header to a dashboard): it takes the
/// admin token once and sets an HttpOnly, SameSite=Strict session cookie (Secure over HTTPS)
/// that expires; sign-out closes the session. The form itself is protected by a double-submit
/// token, so another site cannot sign a browser in with a token of its choosing.
/// </summary>
internal static class AdminSignIn
{
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";
    private const string CsrfField = "csrf";
    private static readonly TimeSpan SignInFormLifetime = TimeSpan.FromMinutes(15);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SignInPath, (HttpContext context, string? returnUrl) => ShowForm(context, returnUrl, failed: false));
        endpoints.MapPost(SignInPath, (Delegate)SignInAsync).DisableAntiforgery();
        endpoints.MapPost(SignOutPath, (Delegate)SignOut).DisableAntiforgery().WithMetadata(new AdminRoleRequirement(AdminRole.Viewer));
        endpoints.MapGet("/", (HttpContext context) => Index(context, endpoints));
    }

    private static async Task<IResult> SignInAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
        if (!context.Request.HasFormContentType)
        {
            return Results.Problem(statusCode: 400, title: "Bad request", detail: "The sign-in form is posted as application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = form["returnUrl"].ToString();
        if (!AdminAccess.FixedTimeEquals(form[CsrfField].ToString(), context.Request.Cookies[AdminAccess.SignInCookie]))
        {
            return Results.Problem(statusCode: 403, title: "Forbidden", detail: "The sign-in form expired or was not served by this listener; reload it.");
        }

        if (context.RequestServices.GetRequiredService<AdminCredentials>().Match(form["token"].ToString()) is not { } principal)
        {
            return ShowForm(context, returnUrl, failed: true);
        }

        var sessions = context.RequestServices.GetRequiredService<AdminSessions>();
        var (id, expires) = sessions.Open(options.SessionLifetime, principal);
        context.Response.Cookies.Append(AdminAccess.SessionCookie, id, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            Expires = expires,
        });
        context.Response.Cookies.Delete(AdminAccess.SignInCookie, new CookieOptions { Path = SignInPath });
        return Results.Redirect(IsLocal(returnUrl) ? returnUrl : "/");
    }

    private static IResult SignOut(HttpContext context)
    {
        var sessions = context.RequestServices.GetRequiredService<AdminSessions>();
        sessions.Close(context.Request.Cookies[AdminAccess.SessionCookie]);
        context.Response.Cookies.Delete(AdminAccess.SessionCookie, new CookieOptions { Path = "/" });
        return Results.Redirect(SignInPath);
    }

    private static IResult ShowForm(HttpContext context, string? returnUrl, bool failed)
    {
        var csrf = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        context.Response.Cookies.Append(AdminAccess.SignInCookie, csrf, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = SignInPath,
            MaxAge = SignInFormLifetime,
        });
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var body = $"""
            <h1>Analytics admin</h1>
            {(failed ? "<p class=\"error\">That token is not the admin token (nor any admin credential).</p>" : "")}
            <form method="post" action="{SignInPath}">
              <label for="token">Admin token</label>
              <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
              <input type="hidden" name="{CsrfField}" value="{csrf}">
              <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(target)}">
              <button type="submit">Sign in</button>
            </form>
            <p class="note">The session lasts until you sign out or it expires; the token is not stored in the browser.</p>
            """;
        return Page(context, "Sign in", body, failed ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK);
    }

    /// <summary>The landing page after sign-in: where to go from here (GET endpoints without parameters) and sign-out.</summary>
    private static IResult Index(HttpContext context, IEndpointRouteBuilder endpoints)
    {
        var links = new StringBuilder();
        foreach (var pattern in endpoints.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
                     .Where(e => e.RoutePattern.Parameters.Count == 0
                                 && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
                     .Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/'))
                     .Where(p => p is not ("/" or SignInPath))
                     .Distinct(StringComparer.Ordinal)
                     .Order(StringComparer.Ordinal))
        {
            links.Append("<li><a href=\"").Append(WebUtility.HtmlEncode(pattern)).Append("\">").Append(WebUtility.HtmlEncode(pattern)).Append("</a></li>");
        }

        var body = $"""
            <h1>Analytics admin</h1>
            <p>Signed in. Dashboards mounted on this listener (e.g. <a href="/hangfire">/hangfire</a> on the analyzer) open with this session.</p>
            <ul>{links}</ul>
            <form method="post" action="{SignOutPath}"><button type="submit">Sign out</button></form>
            """;
        return Page(context, "Admin", body, StatusCodes.Status200OK);
    }

    private static IResult Page(HttpContext context, string title, string body, int status)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        headers["Referrer-Policy"] = "no-referrer";
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{title}}</title>
            <style>
              body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; color: #222; }
              label, input, button { display: block; width: 100%; margin: .4rem 0; font-size: 1rem; }
              input { padding: .5rem; box-sizing: border-box; }
              button { padding: .5rem; cursor: pointer; }
              .error { color: #b00020; } .note { color: #666; font-size: .85rem; }
            </style></head>
            <body>{{body}}</body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>Only paths on this listener: no scheme, no host, no protocol-relative or backslash tricks.</summary>
    internal static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
