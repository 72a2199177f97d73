using Analytics.Messaging.InProcess;
using Analytics.Messaging.Kafka;
using Analytics.ServiceDefaults.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Analytics.Messaging;

/// <summary>Registers the configured stream transport.</summary>
public static class StreamsRegistration
{
    /// <summary>
    /// Adds <see cref="IStreamTransport"/> as chosen by <c>Streams:Transport</c>. Safe to call
    /// from every service composed into one process: the first registration wins, so they share
    /// one transport.
    /// </summary>
    public static IServiceCollection AddStreams(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IStreamTransport)))
        {
            return services;
        }

        services.AddValidatedOptions<StreamsOptions>(configuration, StreamsOptions.Section)
            .ValidateWith<StreamsOptions>(StreamsOptions.Section, (o, errors) =>
            {
                errors.AddIf(o.Transport is not ("InProcess" or "Kafka"), "Transport", $"'{o.Transport}' is not a transport; use InProcess or Kafka");
                if (o.Transport == "Kafka")
                {
                    KafkaClientSettings.Validate(o.Kafka, errors);
                }
            });

        var transport = configuration[$"{StreamsOptions.Section}:Transport"] ?? "InProcess";
        if (transport == "Kafka")
        {
            services.TryAddSingleton<KafkaTransport>();
            services.TryAddSingleton<IStreamTransport>(sp => sp.GetRequiredService<KafkaTransport>());
            services.AddHostedService<KafkaStreamsService>();
            return services;
        }

        services.TryAddSingleton<IStreamTransport, InProcessTransport>();
        return services;
    }
}
