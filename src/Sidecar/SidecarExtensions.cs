using System.Net;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Hosting;
using Analytics.ServiceDefaults.Options;
using Analytics.Sidecar.Admin;
using Analytics.Sidecar.Auth;
using Analytics.Sidecar.Catalog;
using Analytics.Sidecar.Enforcement;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.RateLimiting;
using Analytics.Sidecar.Routes;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;

namespace Analytics.Sidecar;

/// <summary>Composes the sidecar: <c>builder.AddSidecar()</c> then <c>app.MapSidecar()</c>.</summary>
public static class SidecarExtensions
{
    /// <summary>Child sections of <c>Sidecar</c> that some part of the sidecar reads; anything else is a typo and stops start-up.</summary>
    internal static readonly HashSet<string> KnownSections = new(StringComparer.OrdinalIgnoreCase)
    {
        "Admin", "Proxy", "Auth", "RateLimiting", "Routes", "Telemetry", "Inspection", "Catalog",
    };

    /// <summary>Registers the proxy, auth, rate limiting, enforcement, telemetry and admin endpoints. Call <c>AddAdminListener</c> too.</summary>
    public static WebApplicationBuilder AddSidecar(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddStreams(configuration);

        services.AddValidatedOptions<ProxyOptions>(configuration, ProxyOptions.Section)
            .ValidateWith<ProxyOptions>(ProxyOptions.Section, ValidateProxy);
        services.AddValidatedOptions<SidecarAuthOptions>(configuration, SidecarAuthOptions.Section)
            .ValidateWith<SidecarAuthOptions>(SidecarAuthOptions.Section, ValidateAuth);
        services.AddValidatedOptions<SidecarRateLimitingOptions>(configuration, SidecarRateLimitingOptions.Section)
            .ValidateWith<SidecarRateLimitingOptions>(SidecarRateLimitingOptions.Section, ValidateRateLimiting);
        services.AddValidatedOptions<SidecarRoutesOptions>(configuration, SidecarRoutesOptions.Section)
            .ValidateWith<SidecarRoutesOptions>(SidecarRoutesOptions.Section, (routes, errors) => ValidateRoutes(routes, errors, configuration));
        services.AddValidatedOptions<TelemetryOptions>(configuration, TelemetryOptions.Section);
        services.AddSingleton<IValidateOptions<ProxyOptions>>(new UnknownSectionsValidator(configuration));

        services.AddSingleton<IRouteOptionsProvider, RouteOptionsProvider>();
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<SidecarStats>();
        services.AddSingleton<DecisionStore>();
        services.AddSingleton<DecisionEnforcer>();
        services.AddSingleton<DecisionFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionFeed>());
        services.AddHostedService<DecisionSweeper>();
        services.AddHealthChecks().AddCheck<DecisionFeed>("decisions", tags: [AdminListener.ReadyTag]);
        services.AddAdminEndpoints<SidecarAdminEndpoints>();
        services.AddInspection(configuration);
        services.AddApiCatalog(configuration);

        // The route policy authenticates explicitly, and only when credentials are presented.
        // Without this switch the single JWT scheme would become the default and the framework's
        // automatic authentication middleware would run it on every request as well.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication().AddJwtBearer(JwtBearerSetup.Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(JwtBearerSetup.Scheme)
            .Configure<IOptions<SidecarAuthOptions>>((bearer, auth) => JwtBearerSetup.Configure(bearer, auth.Value.Jwt));

        ConfigureKestrel(builder);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) => ConfigureForwardedHeaders(forwarded, proxy.Value));

        var apiKeyHeader = configuration[$"{SidecarAuthOptions.Section}:ApiKeys:Header"] ?? new ApiKeyOptions().Header;
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddTransforms(transforms =>
            {
                var strip = transforms.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.StripRequestHeaders;
                transforms.AddRequestTransform(context =>
                {
                    var headers = context.ProxyRequest.Headers;
                    // The upstream never needs the API key secret: the sidecar consumed it.
                    headers.Remove(apiKeyHeader);
                    foreach (var name in strip)
                    {
                        headers.Remove(name);
                    }

                    if (context.HttpContext.Features.Get<Caller>() is { } caller)
                    {
                        headers.TryAddWithoutValidation("X-Authenticated-Principal", caller.Id);
                        headers.TryAddWithoutValidation("X-Authenticated-Kind", caller.Kind);
                        if (caller.Roles.Count > 0)
                        {
                            headers.TryAddWithoutValidation("X-Authenticated-Roles", string.Join(',', caller.Roles));
                        }
                    }

                    return ValueTask.CompletedTask;
                });
            });

        return builder;
    }

    /// <summary>
    /// The request path of DESIGN.md, in order. Call after <c>UseAdminListener</c> so admin
    /// requests never reach it.
    /// </summary>
    public static WebApplication MapSidecar(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestTelemetryMiddleware>();
        app.UseMiddleware<ResponseHardeningMiddleware>();
        app.UseRequestNormalizationGuard();                      // 1. ambiguous framing (400)
        app.UseRouting();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<RequestLimitsMiddleware>();      // 1. limits
            proxy.UseApiCatalog();                               //    (observes every routed request, rejected ones too)
            proxy.UseMiddleware<IpEnforcementMiddleware>();      // 2. decisions on ip and cidr
            proxy.UseMiddleware<RouteAuthMiddleware>();          // 3. authentication and route policy
            proxy.UseMiddleware<PrincipalEnforcementMiddleware>(); // 4. decisions on api_key and subject
            proxy.UseMiddleware<RateLimitingMiddleware>();       // 5. rate limits and throttles
            proxy.UseMiddleware<LoginIdentifierMiddleware>();
            proxy.UseInspection();                               // 6. injection, OpenAPI validation
            proxy.UseMiddleware<UpstreamTimingMiddleware>();     // 7. forward (YARP) and time it
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        // A catch-all, so file-like paths (/.env, /wp-login.php) get the same treatment.
        app.MapFallback("{**path}", NoRouteAsync);
        return app;
    }

    private static async Task NoRouteAsync(HttpContext context)
    {
        // Unrouted requests (scanners probing /.env and the like) still meet the IP decisions.
        var enforcer = context.RequestServices.GetRequiredService<DecisionEnforcer>();
        var ip = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (await enforcer.EnforceAsync(context, enforcer.Store.CheckIp(ip)))
        {
            await ProblemResponses.RejectAsync(context, StatusCodes.Status404NotFound, Messaging.RejectionReasons.NoRoute, "Not Found", "No route matches this request.");
        }
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder)
    {
        var limits = new ListenerLimitsOptions();
        builder.Configuration.GetSection($"{ProxyOptions.Section}:Limits").Bind(limits);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Kestrel's own limits are a backstop at twice the sidecar's: requests between the
            // two are rejected by the sidecar, which records them; beyond, Kestrel drops them early.
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalBytes * 2;
            kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount * 2;
            kestrel.Limits.MaxRequestBodySize = Math.Max(limits.MaxRequestBodyBytes, 1) * 2;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(limits.RequestHeadersTimeoutSeconds);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(limits.KeepAliveTimeoutSeconds);
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
            kestrel.Limits.MinRequestBodyDataRate = limits.MinRequestBodyBytesPerSecond > 0
                ? new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(limits.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5))
                : null;
        });
    }

    private static void ConfigureForwardedHeaders(ForwardedHeadersOptions forwarded, ProxyOptions proxy)
    {
        // With both known-proxy lists empty the middleware believes every peer, so "trust
        // nobody" has to mean "process no forwarded headers at all".
        forwarded.ForwardedHeaders = proxy.TrustedProxies.Count == 0
            ? ForwardedHeaders.None
            : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // The framework trusts loopback by default; trust exactly what the operator listed.
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds the loopback default and is still consulted
        forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
        forwarded.ForwardLimit = 1;
        foreach (var entry in proxy.TrustedProxies)
        {
            if (entry.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(entry, out var network))
            {
                forwarded.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                forwarded.KnownProxies.Add(address);
            }
        }
    }

    private static void ValidateProxy(ProxyOptions options, ValidationErrors errors)
    {
        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            var entry = options.TrustedProxies[i];
            var ok = entry.Contains('/', StringComparison.Ordinal) ? IPNetwork.TryParse(entry, out _) : IPAddress.TryParse(entry, out _);
            errors.AddIf(!ok, $"TrustedProxies:{i}", $"'{entry}' is not an IP address or CIDR range");
        }
    }

    private static readonly HashSet<string> SafeAlgorithms = new(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    private static void ValidateAuth(SidecarAuthOptions options, ValidationErrors errors)
    {
        var jwt = options.Jwt;
        var sources = new[] { jwt.Authority ?? jwt.MetadataAddress, jwt.JwksUrl, jwt.JwksFile, jwt.Jwks }.Count(s => !string.IsNullOrWhiteSpace(s));
        errors.AddIf(sources > 1, "Jwt", "configure one key source: Authority (or MetadataAddress), JwksUrl, JwksFile or Jwks");
        if (jwt.Enabled)
        {
            errors.AddIf(jwt.Audiences.Count == 0, "Jwt:Audiences", "at least one audience is required so tokens minted for other APIs are refused");
            errors.AddIf(jwt.Issuers.Count == 0 && string.IsNullOrWhiteSpace(jwt.Authority), "Jwt:Issuers", "at least one issuer is required without an Authority");
        }

        errors.AddIf(jwt.ValidAlgorithms.Count == 0, "Jwt:ValidAlgorithms", "at least one algorithm is required");
        foreach (var alg in jwt.ValidAlgorithms)
        {
            errors.AddIf(!SafeAlgorithms.Contains(alg), "Jwt:ValidAlgorithms", $"'{alg}' is not accepted; use asymmetric algorithms (RS*, PS*, ES*)");
        }

        errors.AddIf(jwt.ClockSkewSeconds is < 0 or > 300, "Jwt:ClockSkewSeconds", "must be between 0 and 300");
        if (!string.IsNullOrWhiteSpace(jwt.JwksFile) && !File.Exists(jwt.JwksFile))
        {
            errors.Add("Jwt:JwksFile", $"file '{jwt.JwksFile}' does not exist");
        }

        if (!string.IsNullOrWhiteSpace(jwt.Jwks))
        {
            try
            {
                _ = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(jwt.Jwks);
            }
            catch (ArgumentException)
            {
                errors.Add("Jwt:Jwks", "is not a JWKS document");
            }
        }

        errors.AddIf(string.IsNullOrWhiteSpace(options.ApiKeys.Header), "ApiKeys:Header", "must name a header");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Keys.Count; i++)
        {
            var key = options.ApiKeys.Keys[i];
            errors.AddIf(string.IsNullOrWhiteSpace(key.Id), $"ApiKeys:Keys:{i}:Id", "is required");
            errors.AddIf(!ids.Add(key.Id), $"ApiKeys:Keys:{i}:Id", $"'{key.Id}' is used twice");
            errors.AddIf(key.Sha256.Length != 64 || !key.Sha256.All(Uri.IsHexDigit), $"ApiKeys:Keys:{i}:Sha256", "must be 64 hex digits (the SHA-256 of the key, never the key itself)");
        }
    }

    private static void ValidateRateLimiting(SidecarRateLimitingOptions options, ValidationErrors errors)
    {
        foreach (var (name, policy) in options.Policies)
        {
            errors.AddIf(policy.Kind.ToLowerInvariant() is not ("tokenbucket" or "fixedwindow" or "slidingwindow" or "concurrency"),
                $"Policies:{name}:Kind", $"'{policy.Kind}' is not one of TokenBucket, FixedWindow, SlidingWindow, Concurrency");
        }
    }

    private static void ValidateRoutes(SidecarRoutesOptions routes, ValidationErrors errors, IConfiguration configuration)
    {
        var proxyRoutes = configuration.GetSection("ReverseProxy:Routes").GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var policies = configuration.GetSection($"{SidecarRateLimitingOptions.Section}:Policies").GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, route) in routes)
        {
            errors.AddIf(!proxyRoutes.Contains(id), $"{id}", "names no route under ReverseProxy:Routes");
            errors.AddIf(route.Auth is not (RouteAuthModes.Anonymous or RouteAuthModes.Authenticated), $"{id}:Auth", $"'{route.Auth}' is not anonymous or authenticated");
            errors.AddIf(route.RateLimitPolicy is { } p && !policies.Contains(p), $"{id}:RateLimitPolicy", $"'{route.RateLimitPolicy}' is not a policy under {SidecarRateLimitingOptions.Section}:Policies");
            errors.AddIf(route.MaxRequestBodyBytes is < 0, $"{id}:MaxRequestBodyBytes", "must not be negative");
            InspectionExtensions.ValidateRouteInspection(route.Inspection, id, errors);
            errors.AddIf(string.Equals(route.Auth, RouteAuthModes.Anonymous, StringComparison.OrdinalIgnoreCase) && (route.Roles.Count > 0 || route.Scopes.Count > 0),
                $"{id}:Auth", "an anonymous route cannot require roles or scopes");
        }
    }

    /// <summary>Rejects child sections of <c>Sidecar</c> that nothing reads (a misspelt section would otherwise be ignored).</summary>
    private sealed class UnknownSectionsValidator(IConfiguration configuration) : IValidateOptions<ProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ProxyOptions options)
        {
            var unknown = configuration.GetSection("Sidecar").GetChildren()
                .Where(c => !KnownSections.Contains(c.Key))
                .Select(c => $"Sidecar:{c.Key}: unknown section (known: {string.Join(", ", KnownSections.Order())})")
                .ToList();
            return unknown.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(unknown);
        }
    }
}
