using Analytics.ServiceDefaults.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Analytics.Sidecar.Telemetry;

/// <summary>Registration of telemetry: options, the counters (in place of the framework's per-request ones), login hashing, the loop that builds and publishes request events.</summary>
internal static class TelemetryExtensions
{
    public static IServiceCollection AddSidecarTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TelemetryOptions>(configuration, TelemetryOptions.Section);
        services.AddSingleton<TelemetryMetrics>();
        services.ConfigureOpenTelemetryMeterProvider(metrics =>
        {
            foreach (var instrument in TelemetryMetrics.ReplacedFrameworkInstruments)
            {
                metrics.AddView(instrument, MetricStreamConfiguration.Drop);
            }
        });
        services.AddSingleton<LoginIdentifierHasher>();
        services.AddSingleton<RequestTelemetryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestTelemetryWriter>());
        return services;
    }
}
