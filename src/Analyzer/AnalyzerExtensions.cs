using Analytics.Analyzer.Decisions;
using Analytics.Analyzer.Detection;
using Analytics.Analyzer.Features;
using Analytics.Analyzer.Ingest;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer;

/// <summary>Composes the analyzer into a host: streams, options, the pipeline and its hosted services.</summary>
public static class AnalyzerExtensions
{
    /// <summary>
    /// Registers the streams (<c>Streams:*</c>), the analyzer's options (<c>Analyzer:*</c>,
    /// validated at start-up), the feature store, detectors, decision engine and the worker that
    /// consumes <see cref="Streams.Requests"/> as consumer group <c>analyzer</c>.
    /// </summary>
    public static WebApplicationBuilder AddAnalyzer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddStreams(builder.Configuration);
        services.AddValidatedOptions<AnalyzerOptions>(builder.Configuration, AnalyzerOptions.Section)
            .ValidateWith<AnalyzerOptions>(AnalyzerOptions.Section, AnalyzerOptionsValidator.Validate);
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp => new Allowlist(sp.GetRequiredService<IOptions<AnalyzerOptions>>().Value.Decisions.Allowlist, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DecisionLedger>();
        services.AddSingleton<OutcomePublisher>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AnalyzerOptions>>().Value;
            var detectors = DetectorFactory.CreateRules(o.Rules);
            return new AnalyzerPipeline(
                new FeatureStore(o.Features),
                detectors,
                new DecisionEngine(o.Decisions, sp.GetRequiredService<Allowlist>(), sp.GetRequiredService<TimeProvider>()));
        });
        services.AddHostedService<RequestStreamWorker>();
        return builder;
    }

    /// <summary>Adds what needs the built application (the Hangfire dashboard on the admin listener).</summary>
    public static WebApplication UseAnalyzer(this WebApplication app)
    {
        return app;
    }
}
