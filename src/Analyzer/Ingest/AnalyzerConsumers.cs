using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Analyzer.Ingest;

/// <summary>The analyzer's group consumers, by key, and the readiness check that waits until they hold their assignments.</summary>
internal static class AnalyzerConsumers
{
    public const string Requests = "analyzer.requests";
    public const string RequestsByEntity = "analyzer.requests-by-entity";

    /// <summary>
    /// Not ready until the first stage (and, with two stages, the second) has joined its group and
    /// been assigned: before that, events published now would wait unread.
    /// </summary>
    public static IServiceCollection AddAnalyzerConsumers(this IServiceCollection services)
    {
        services.AddKeyedSingleton<ConsumerAssignment>(Requests);
        services.AddKeyedSingleton<ConsumerAssignment>(RequestsByEntity);
        services.AddReadinessCheck("analyzer-consumer", sp =>
            sp.GetRequiredKeyedService<ConsumerAssignment>(Requests).IsAssigned
            && (!sp.GetRequiredService<AnalyzerStages>().TwoStages || sp.GetRequiredKeyedService<ConsumerAssignment>(RequestsByEntity).IsAssigned));
        return services;
    }
}
