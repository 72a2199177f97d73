using System.Net;
using System.Security.Cryptography;
using System.Text;
using Analytics.ServiceDefaults.Hosting;
using Analytics.ServiceDefaults.Options;
using Analytics.ServiceDefaults.Telemetry;
using Analytics.ServiceDefaults.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>Something that adds endpoints (or middleware) to the admin listener.</summary>
public interface IAdminEndpoints
{
    /// <summary>Middleware for the admin branch that must run before routing (e.g. a dashboard).</summary>
    void ConfigureBranch(IApplicationBuilder branch)
    {
    }

    /// <summary>Endpoints on the admin listener; they already require the admin credential.</summary>
    void MapEndpoints(IEndpointRouteBuilder admin);
}

/// <summary>
/// The admin listener: its own Kestrel endpoint on loopback with the open probes, the Prometheus
/// scrape, the sign-in page and every registered <see cref="IAdminEndpoints"/> behind the admin token.
/// </summary>
public static class AdminListener
{
    internal const string ConnectionItemKey = "analytics.admin";

    /// <summary>Health check tag for checks that gate readiness (/readyz).</summary>
    public const string ReadyTag = "ready";

    // Placeholders from samples and docs: a token anyone can read is no token.
    private static readonly string[] PlaceholderMarkers = ["set-me", "setme", "change-me", "changeme", "replace-me", "example", "placeholder", "your-token", "<"];

    /// <summary>
    /// Adds the admin listener from <paramref name="sectionPath"/> (Url, Token, Credentials, Tls).
    /// With <paramref name="generateTokenIfMissing"/> (the demo) a missing token is generated and
    /// printed once; otherwise a listener without any credential stops start-up.
    /// </summary>
    public static WebApplicationBuilder AddAdminListener(this WebApplicationBuilder builder, string sectionPath, bool generateTokenIfMissing = false)
    {
        var section = builder.Configuration.GetSection(sectionPath);
        if (generateTokenIfMissing && string.IsNullOrWhiteSpace(section["Token"]) && !section.GetSection("Credentials").GetChildren().Any())
        {
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            builder.Configuration[$"{sectionPath}:Token"] = token;
            builder.Services.AddSingleton(new GeneratedAdminToken(token));
        }

        builder.Services.AddValidatedOptions<AdminOptions>(builder.Configuration, sectionPath)
            .ValidateWith<AdminOptions>(sectionPath, (o, errors) =>
            {
                errors.AddIf(string.IsNullOrWhiteSpace(o.Token) && o.Credentials.Count == 0, "Token", "the admin API requires a token or named Credentials (set it, e.g. via the environment variable " + sectionPath.Replace(":", "__", StringComparison.Ordinal) + "__Token)");
                ValidateCredentials(o, errors);
                errors.AddIf(o.Token is { Length: > 0 and < 16 }, "Token", "the admin token must be at least 16 characters");
                errors.AddIf(IsPlaceholder(o.Token), "Token", "is a sample placeholder; generate one, e.g. openssl rand -hex 24");
                errors.AddIf(o.MetricsToken is { Length: > 0 and < 16 }, "MetricsToken", "the metrics token must be at least 16 characters");
                errors.AddIf(IsPlaceholder(o.MetricsToken), "MetricsToken", "is a sample placeholder; generate one, e.g. openssl rand -hex 24");
                errors.AddIf(o.MetricsToken is { Length: > 0 } && o.MetricsToken == o.Token, "MetricsToken", "must differ from the admin token (it opens /metrics only)");
                errors.AddIf(o.SessionLifetime <= TimeSpan.Zero || o.SessionLifetime > TimeSpan.FromDays(7), "SessionLifetime", "must be positive and at most 7 days");
                if (!TryParseEndpoint(o.Url, out var ep, out var https))
                {
                    errors.Add("Url", $"'{o.Url}' is not an http(s)://address:port URL");
                }
                else
                {
                    errors.AddIf(!IPAddress.IsLoopback(ep.Address) && !o.AllowNonLoopback, "Url", "the admin API binds to loopback only; set AllowNonLoopback=true to override");
                    errors.AddIf(https && !o.Tls.Enabled, "Tls:CertificateFile", "the admin Url is https; set the certificate (PEM or PFX)");
                    errors.AddIf(!https && o.Tls.Enabled, "Url", "a certificate is set (Tls:CertificateFile) but the Url is http; use https://");
                }

                CertificateFiles.Validate(o.Tls, errors, "Tls:");
            });

        builder.Services.AddSingleton<AdminEndpointInfo>();
        builder.Services.AddSingleton<AdminCredentials>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AdminSessions>();
        builder.Services.AddHealthChecks();
        StartupLogFilter.AddTo(builder);
        RequestLineLogFilter.AddTo(builder);
        // "Sidecar:Admin" -> analytics-sidecar, unless the host named itself first (Standalone).
        builder.AddServiceTelemetry("analytics-" + sectionPath.Split(':')[0].ToLowerInvariant());

        // Read the URL now: Kestrel's endpoints are fixed before options validation runs.
        var url = section["Url"] ?? new AdminOptions().Url;
        if (TryParseEndpoint(url, out var endpoint, out var useHttps))
        {
            var tls = new TlsCertificateOptions();
            section.GetSection("Tls").Bind(tls);
            builder.WebHost.ConfigureKestrel((context, kestrel) =>
            {
                var info = kestrel.ApplicationServices.GetRequiredService<AdminEndpointInfo>();
                kestrel.Listen(endpoint, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    if (useHttps && tls.Enabled)
                    {
                        // Loaded at the first handshake: start-up validation has named a missing or bad file by then.
                        var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Analytics.Admin.Tls");
                        listen.UseReloadingHttps(new ReloadingCertificate(tls, logger));
                        info.Scheme = "https";
                    }

                    listen.Use(next => connection =>
                    {
                        connection.Items[ConnectionItemKey] = true;
                        return next(connection);
                    });
                    info.ListenOptions = listen;
                });
            });
        }

        return builder;
    }

    /// <summary>Registers admin endpoints contributed by a feature.</summary>
    public static IServiceCollection AddAdminEndpoints<T>(this IServiceCollection services)
        where T : class, IAdminEndpoints
    {
        services.AddSingleton<IAdminEndpoints, T>();
        return services;
    }

    /// <summary>
    /// Adds a check that gates <c>/readyz</c> (e.g. "the consumer has its partitions", "the model
    /// is loaded"). The probe answers only Healthy or Unhealthy; the check's description stays inside.
    /// </summary>
    public static IServiceCollection AddReadinessCheck(this IServiceCollection services, string name, Func<IServiceProvider, bool> isReady)
    {
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            name,
            sp => new DelegateReadinessCheck(sp, isReady),
            failureStatus: HealthStatus.Unhealthy,
            tags: [ReadyTag]));
        return services;
    }

    /// <summary>True when the request arrived on the admin listener.</summary>
    public static bool IsAdminConnection(this HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ConnectionItemKey) == true;

    /// <summary>
    /// Branches admin-listener requests off the main pipeline: the open probes (/healthz,
    /// /readyz), the sign-in page, /metrics and every registered <see cref="IAdminEndpoints"/>
    /// behind the admin credential. Call it first so no proxy middleware ever sees an admin request.
    /// </summary>
    public static WebApplication UseAdminListener(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AdminOptions>>();
        var sessions = app.Services.GetRequiredService<AdminSessions>();
        var contributors = app.Services.GetServices<IAdminEndpoints>().ToArray();
        app.MapWhen(ctx => ctx.IsAdminConnection(), branch =>
        {
            // An error status without a body (a framework's 400 for malformed JSON, a dashboard's 401) becomes problem+json too.
            branch.UseStatusCodePages(status => AdminAccess.Problem(status.HttpContext, status.HttpContext.Response.StatusCode,
                ReasonPhrases.GetReasonPhrase(status.HttpContext.Response.StatusCode), null));
            var credentials = app.Services.GetRequiredService<AdminCredentials>();
            branch.Use((ctx, next) => AdminAccess.Gate(ctx, next, credentials, options.Value, sessions));
            foreach (var contributor in contributors)
            {
                contributor.ConfigureBranch(branch);
            }

            branch.UseRouting();
            branch.Use(AdminAccess.EndpointPolicy);
            branch.UseEndpoints(endpoints =>
            {
                // Open to probes, so they answer with the status word and nothing else.
                endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
                endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
                endpoints.MapPrometheusScrapingEndpoint(ServiceTelemetry.ScrapePath);
                AdminSignIn.Map(endpoints);
                foreach (var contributor in contributors)
                {
                    contributor.MapEndpoints(endpoints);
                }
            });
        });

        var generated = app.Services.GetService<GeneratedAdminToken>();
        if (generated is not null)
        {
            app.Lifetime.ApplicationStarted.Register(() => generated.Announce(app.Services.GetRequiredService<AdminEndpointInfo>()));
        }

        return app;
    }

    /// <summary>Compares the presented bearer (or X-Admin-Token) token with the configured one in constant time.</summary>
    public static bool TokenMatches(HttpContext context, string? expected) => AdminAccess.PresentedMatches(context, expected);

    /// <summary>
    /// True when the admin gate let this request in with an admin credential or a signed-in browser
    /// session (what a dashboard's own authorization filter should ask).
    /// </summary>
    public static bool IsAuthenticated(HttpContext context) => AdminAccess.IsAuthenticated(context);

    /// <summary>The admin credential of this request (name and role); null outside the admin listener or before the gate.</summary>
    public static AdminPrincipal? Principal(HttpContext context) => AdminAccess.Principal(context);

    /// <summary>True when the request's admin credential has at least <paramref name="role"/>; false without one.</summary>
    public static bool HasRole(HttpContext context, AdminRole role) => AdminAccess.Principal(context)?.Has(role) == true;

    /// <summary>The least role an admin endpoint needs (without it: viewer to read, admin to change).</summary>
    public static TBuilder RequireAdminRole<TBuilder>(this TBuilder builder, AdminRole role)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AdminRoleRequirement(role));

    /// <summary>
    /// Writes the audit line of an admin change (e.g. <c>decision-created</c>, <c>ip:127.0.0.9</c>)
    /// naming the credential that made it; returns that credential's name for the record itself.
    /// </summary>
    public static string AuditChange(HttpContext context, string change, string target)
    {
        var principal = AdminAccess.Principal(context);
        var name = principal?.Name ?? "unknown";
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(AdminAudit.Category);
        AdminAudit.Change(logger, change, target, name, principal?.Role.ToString().ToLowerInvariant() ?? "none");
        return name;
    }

    internal static bool IsPlaceholder(string? token) =>
        token is { Length: > 0 } && PlaceholderMarkers.Any(m => token.Contains(m, StringComparison.OrdinalIgnoreCase));

    private static void ValidateCredentials(AdminOptions o, ValidationErrors errors)
    {
        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, credential) in o.Credentials)
        {
            var key = "Credentials:" + name;
            errors.AddIf(name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'), key, "a credential name is letters, digits, '-', '_' or '.' (at most 64)");
            errors.AddIf(name == AdminCredentials.DefaultName && !string.IsNullOrEmpty(o.Token), key, $"'{AdminCredentials.DefaultName}' is the name of Token; choose another");
            errors.AddIf(!AdminCredentials.TryParseRole(credential.Role, out _), key + ":Role", "one of viewer, operator, admin");
            if (!AdminCredentials.TryParseHash(credential.TokenSha256, out _))
            {
                errors.Add(key + ":TokenSha256", "the hex SHA-256 of the token, 64 characters (analytics admin hash-token)");
            }
            else if (!hashes.Add(credential.TokenSha256))
            {
                errors.Add(key + ":TokenSha256", "another credential has the same token");
            }
        }
    }

    internal static bool TryParseEndpoint(string url, out IPEndPoint endpoint) => TryParseEndpoint(url, out endpoint, out _);

    internal static bool TryParseEndpoint(string url, out IPEndPoint endpoint, out bool https)
    {
        endpoint = null!;
        https = false;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        https = uri.Scheme == Uri.UriSchemeHttps;

        var host = uri.Host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : null;
        if (host is null)
        {
            return false;
        }

        endpoint = new IPEndPoint(host, uri.Port);
        return true;
    }
}

/// <summary>Where the admin listener is actually bound (its port is known only after start when configured as 0).</summary>
public sealed class AdminEndpointInfo
{
    internal ListenOptions? ListenOptions { get; set; }

    internal string Scheme { get; set; } = "http";

    /// <summary>The bound admin URL, e.g. http://127.0.0.1:9901; null before the server started.</summary>
    public string? Url => ListenOptions?.IPEndPoint is { } ep ? $"{Scheme}://{FormatHost(ep.Address)}:{ep.Port}" : null;

    private static string FormatHost(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}

/// <summary>A token generated for the demo because none was configured; printed once at start.</summary>
public sealed class GeneratedAdminToken(string token)
{
    public string Token { get; } = token;

    internal void Announce(AdminEndpointInfo info)
    {
        Console.WriteLine($"""

            Admin token (generated for this run, printed once): {Token}
            Admin API: {info.Url}
            """);
    }
}
