using Analytics.ServiceDefaults.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Sidecar.Telemetry;

/// <summary>Registration of telemetry: options, the counters, login hashing, the loop that builds and publishes request events.</summary>
internal static class TelemetryExtensions
{
    public static IServiceCollection AddSidecarTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TelemetryOptions>(configuration, TelemetryOptions.Section);
        services.AddSingleton<TelemetryMetrics>();
        services.AddSingleton<LoginIdentifierHasher>();
        services.AddSingleton<RequestTelemetryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestTelemetryWriter>());
        return services;
    }
}
