using Analytics.ServiceDefaults.Options;
using Microsoft.AspNetCore.Authentication.JwtBearer;
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
}
