using Analytics.Analyzer.Decisions;
using Analytics.Analyzer.Ingest;
using Analytics.Analyzer.Jobs;
using Analytics.Analyzer.Search;
using Analytics.Detection;
using Analytics.Detection.Decisions;
using Analytics.Detection.Features;
using Analytics.Detection.Ingest;
using Analytics.Detection.Model;
using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Hosting;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
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
        services.AddSingleton<Ingest.OutcomeEffects>();
        services.AddSingleton(sp => CreateModelHolder(
            sp.GetRequiredService<IOptions<AnalyzerOptions>>().Value.Model,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Analytics.Analyzer.Model")));
        services.AddSingleton(sp => CreatePipeline(sp, sp.GetRequiredService<RecentWindows>()));
        services.AddSingleton(sp => new AnalyzerStages(
            sp.GetRequiredService<IOptions<AnalyzerOptions>>().Value, sp.GetRequiredService<IStreamTransport>(), CreatePipeline(sp, sampler: null)));
        services.AddHostedService<EntityStreamWorker>();
        services.AddSingleton(new RecentWindows());
        services.AddMetrics();
        services.AddSingleton<Ingest.IngestMetrics>();
        services.AddSingleton<Decisions.DetectionMetrics>();
        services.AddSingleton<DecisionMetrics>();
        services.AddAnalyzerConsumers();
        services.AddHostedService<RequestStreamWorker>();
        services.AddAnalyzerJobs(builder.Configuration);
        builder.AddSearchIndexer();
        services.AddAdminEndpoints<AnalyzerAdminEndpoints>();
        // Not ready while the anomaly model is enabled but not loaded (scoring would be rules only).
        services.AddReadinessCheck("analyzer-model", sp => !sp.GetRequiredService<IOptions<AnalyzerOptions>>().Value.Model.Enabled || sp.GetRequiredService<ModelHolder>().Current is not null);
        return builder;
    }

    /// <summary>One pipeline: its own windows and decision engine over the shared allowlist and model.</summary>
    private static AnalyzerPipeline CreatePipeline(IServiceProvider sp, RecentWindows? sampler)
    {
        var o = sp.GetRequiredService<IOptions<AnalyzerOptions>>().Value;
        var detectors = DetectorFactory.CreateRules(o.Rules);
        if (o.Model.Enabled)
        {
            detectors.Add(new AnomalyDetector(sp.GetRequiredService<ModelHolder>(), o.Model));
        }

        return new AnalyzerPipeline(
            new FeatureStore(o.Features),
            detectors,
            new DecisionEngine(o.Decisions, sp.GetRequiredService<Allowlist>(), sp.GetRequiredService<TimeProvider>()))
        {
            Sampler = sampler,
        };
    }

    /// <summary>Loads the model at start-up (a missing model only disables model scoring) and watches its file for hot swaps.</summary>
    private const string ModelPathSetting = AnalyzerOptions.Section + ":Model:Path";

    private static ModelHolder CreateModelHolder(ModelOptions options, ILogger logger)
    {
        var path = options.Enabled ? ModelHolder.Resolve(options.Path) : null;
        ModelHolder holder;
        if (path is null)
        {
            // A path someone chose and that is not there is a mistake; the default one is simply not trained yet.
            if (options.Enabled && options.Path != new ModelOptions().Path)
            {
                throw new StartupFileException(ModelPathSetting, options.Path,
                    "file not found (looked in the working directory and beside the application); train one, or set Analyzer:Model:Enabled=false");
            }

            holder = new ModelHolder(null);
            if (options.Enabled)
            {
                Log.ModelMissing(logger, options.Path);
            }
        }
        else
        {
            try
            {
                holder = ModelHolder.FromFile(path);
                Log.ModelLoaded(logger, holder.Current!.Card.Name, path, holder.Current.Threshold);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException or InvalidOperationException or FormatException or ArgumentException)
            {
                throw new StartupFileException(ModelPathSetting, path, "not a model this analyzer can load: " + ex.Message.TrimEnd('.'), ex);
            }
        }

        holder.Swapped += m => Log.ModelLoaded(logger, m.Card.Name, holder.Path ?? "", m.Threshold);
        holder.LoadFailed += ex => Log.ModelLoadFailed(logger, holder.Path ?? "", ex);
        if (path is not null && options.Watch)
        {
            holder.Watch(path);
        }

        return holder;
    }

    /// <summary>Adds what needs the built application (the Hangfire dashboard on the admin listener).</summary>
    public static WebApplication UseAnalyzer(this WebApplication app)
    {
        return app;
    }
}
