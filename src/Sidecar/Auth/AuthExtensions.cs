using Analytics.ServiceDefaults.Options;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Auth;

/// <summary>Registration of authentication: options, JwtBearer derived from them, API keys, the route authenticator.</summary>
internal static class AuthExtensions
{
    public static IServiceCollection AddSidecarAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SidecarAuthOptions>(configuration, SidecarAuthOptions.Section)
            .ValidateWith<SidecarAuthOptions>(SidecarAuthOptions.Section, SidecarAuthOptionsValidator.Validate);
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<ClientCertificateCallers>();
        services.AddSingleton<AuthMetrics>();
        services.AddSingleton<RouteAuthenticator>();
        services.AddSingleton<FailedAuthenticationLimiter>();

        // The route policy authenticates explicitly, and only when credentials are presented.
        // Without this switch the single JWT scheme would become the default and the framework's
        // automatic authentication middleware would run it on every request as well.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication().AddJwtBearer(JwtBearerSetup.Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(JwtBearerSetup.Scheme)
            .Configure<IOptions<SidecarAuthOptions>>((bearer, auth) => JwtBearerSetup.Configure(bearer, auth.Value.Jwt));
        return services;
    }

    /// <summary>
    /// Keeps the framework from putting its authentication and authorization middlewares in
    /// front of every request. WebApplication adds them on its own whenever the services are
    /// registered, unless the pipeline says it has them (the keys UseAuthentication and
    /// UseAuthorization set). The sidecar needs neither: the route steps authenticate per
    /// route, calling the JWT scheme only when a bearer token is presented, and no endpoint
    /// carries authorization metadata. Each would add an async frame and a feature object to
    /// every request, proxied or refused (about 1.5 % of the proxy's CPU in the profile).
    /// </summary>
    public static WebApplication UseRouteAuthenticationOnly(this WebApplication app)
    {
        var properties = ((IApplicationBuilder)app).Properties;
        properties[AuthenticationMiddlewareSetKey] = true;
        properties[AuthorizationMiddlewareSetKey] = true;
        return app;
    }

    // The keys of AuthAppBuilderExtensions and AuthorizationAppBuilderExtensions (internal there).
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";
}
