using Analytics.Inspection;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Analytics.Sidecar.Admin;
using Analytics.Sidecar.Auth;
using Analytics.Sidecar.Catalog;
using Analytics.Sidecar.Enforcement;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.RateLimiting;
using Analytics.Sidecar.Routes;
using Analytics.Sidecar.Telemetry;
using Analytics.Sidecar.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar;

/// <summary>Composes the sidecar: <c>builder.AddSidecar()</c> then <c>app.MapSidecar()</c>. Each feature registers itself.</summary>
public static class SidecarExtensions
{
    /// <summary>Registers the proxy, auth, rate limiting, enforcement, inspection, catalog, telemetry and admin endpoints. Call <c>AddAdminListener</c> too.</summary>
    public static WebApplicationBuilder AddSidecar(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddStreams(configuration);
        services.AddSingleton<IValidateOptions<ProxyOptions>>(new SidecarSectionsValidator(configuration));

        builder.AddSidecarProxy();
        builder.AddSidecarTls();
        services.AddSidecarRoutes(configuration);
        services.AddSidecarAuth(configuration);
        services.AddSidecarRateLimiting(configuration);
        services.AddSidecarEnforcement(configuration);
        services.AddInspection(configuration);
        services.AddApiCatalog(configuration);
        services.AddSidecarTelemetry(configuration);
        services.AddAdminEndpoints<SidecarAdminEndpoints>();
        return builder;
    }

    /// <summary>
    /// The request path of DESIGN.md. Call after <c>UseAdminListener</c> so admin requests never
    /// reach it. Two steps of the sidecar's own: the edge for every request, and the fused route
    /// steps (1-6) ahead of YARP's forwarder (7); telemetry (8) leaves with the completed request.
    /// </summary>
    public static WebApplication MapSidecar(this WebApplication app)
    {
        app.UseRouteAuthenticationOnly();                        //    no framework auth middlewares: the route steps authenticate
        app.UseSidecarForwardedHeaders();                        // 1. trusted proxies only
        app.UseRequestEdge();                                    //    context, smuggling guard (400), hardening, telemetry hand-off
        app.UseRouting();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseRouteSteps();                               // 1-6. limits, decisions, auth, rate limits, login hash, inspection
            proxy.UseSessionAffinity();                          // 7. forward (YARP)
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
        if (await enforcer.EnforceClientAsync(context, RequestContext.For(context)))
        {
            await ProblemResponses.RejectAsync(context, StatusCodes.Status404NotFound, RejectionReasons.NoRoute, "Not Found", "No route matches this request.");
        }
    }
}
