using Analytics.Messaging;
using Analytics.Search.Archive;
using Analytics.Search.Ecs;
using Analytics.Search.Elasticsearch;
using Analytics.Search.Indexing;
using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Search;

/// <summary>Composes forensic search into the analyzer's host (and so into Standalone).</summary>
public static class SearchExtensions
{
    /// <summary>
    /// Registers <c>Search:*</c> options (validated at start-up), the document sinks (Elasticsearch
    /// when <c>Search:Elasticsearch:Url</c> is set, the NDJSON archive otherwise or when asked),
    /// one indexer per stream in consumer group <c>search</c>, Kibana links, the audit trail, the
    /// weekly report job and <c>GET /search</c> on the admin listener.
    /// </summary>
    public static WebApplicationBuilder AddSearchIndexer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        DefaultPathsBesideStreamData(builder);
        services.AddValidatedOptions<SearchOptions>(builder.Configuration, SearchOptions.Section)
            .ValidateWith<SearchOptions>(SearchOptions.Section, SearchOptionsValidator.Validate);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<SearchMetrics>();
        services.TryAddSingleton<SearchLinks>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<IDocumentSink>(CreateSink);
        services.AddAdminEndpoints<SearchAdminEndpoints>();
        services.AddSearchReportJob(builder.Configuration);

        // Read now: whether the indexers run decides which hosted services exist.
        var enabled = builder.Configuration[$"{SearchOptions.Section}:Enabled"] is not { } e || !bool.TryParse(e, out var on) || on;
        if (enabled)
        {
            // Not ready until each indexer has joined the search group and holds its assignment.
            foreach (var stream in new[] { Streams.Requests.Name, Streams.Decisions.Name, Streams.Alerts.Name })
            {
                services.AddKeyedSingleton<ConsumerAssignment>(IndexerKey(stream));
            }

            services.AddReadinessCheck("search-indexer", sp =>
                sp.GetRequiredKeyedService<ConsumerAssignment>(IndexerKey(Streams.Requests.Name)).IsAssigned
                && sp.GetRequiredKeyedService<ConsumerAssignment>(IndexerKey(Streams.Decisions.Name)).IsAssigned
                && sp.GetRequiredKeyedService<ConsumerAssignment>(IndexerKey(Streams.Alerts.Name)).IsAssigned);
            services.AddHostedService(sp => Indexer(sp, Streams.Requests, (m, o) => RequestEventMapping.ToDocument(m.Value!, o.Namespace)));
            services.AddHostedService(sp => Indexer(sp, Streams.Decisions, (m, o) => DecisionMapping.ToDocument(m.Key, m.Value, m.Timestamp, o.Namespace, kibanaUrl: o.KibanaUrl)));
            services.AddHostedService(sp => Indexer(sp, Streams.Alerts, (m, o) => AlertMapping.ToDocument(m.Value!, o.Namespace)));
        }

        return builder;
    }

    /// <summary>
    /// The archive, its dead letters and the reports live beside the in-process streams' data
    /// (<c>Streams:InProcess:DataDirectory</c>, default <c>data</c>) unless set explicitly.
    /// </summary>
    private static void DefaultPathsBesideStreamData(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var data = config["Streams:InProcess:DataDirectory"] is { Length: > 0 } d ? d : "data";
        var defaults = new Dictionary<string, string?>();
        void Default(string key, string value)
        {
            if (string.IsNullOrEmpty(config[key]))
            {
                defaults[key] = value;
            }
        }

        Default($"{SearchOptions.Section}:Archive:Directory", Path.Combine(data, "search"));
        Default($"{SearchOptions.Section}:DeadLetterPath", Path.Combine(data, "search", "dead-letter.ndjson"));
        Default($"{SearchOptions.Section}:Report:Directory", Path.Combine(data, "reports"));
        if (defaults.Count > 0)
        {
            config.AddInMemoryCollection(defaults);
        }
    }

    private static StreamIndexer<T> Indexer<T>(IServiceProvider sp, StreamDescriptor<T> stream, Func<StreamMessage<T>, SearchOptions, EcsDocument> map)
        where T : class
    {
        var options = sp.GetRequiredService<IOptions<SearchOptions>>().Value;
        return new StreamIndexer<T>(
            stream,
            m => map(m, options),
            sp.GetRequiredService<IStreamTransport>(),
            sp.GetRequiredService<IDocumentSink>(),
            options,
            sp.GetRequiredService<SearchMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredKeyedService<ConsumerAssignment>(IndexerKey(stream.Name)),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Analytics.Analyzer.Search.Indexer." + stream.Name));
    }

    private static string IndexerKey(string stream) => "search." + stream;

    private static IDocumentSink CreateSink(IServiceProvider sp)
    {
        var o = sp.GetRequiredService<IOptions<SearchOptions>>().Value;
        var time = sp.GetRequiredService<TimeProvider>();
        var sinks = new List<IDocumentSink>();
        if (!string.IsNullOrWhiteSpace(o.Elasticsearch.Url))
        {
            sinks.Add(new ElasticsearchSink(
                ElasticsearchClientFactory.Create(o.Elasticsearch),
                o.Elasticsearch,
                o.Namespace,
                new DeadLetterFile(o.DeadLetterPath, time),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Analytics.Search.Elasticsearch"),
                time));
        }

        if (o.ArchiveEnabled)
        {
            sinks.Add(new NdjsonArchive(o.Archive, o.Namespace, time));
        }

        return sinks.Count == 1 ? sinks[0] : new CompositeSink(sinks);
    }
}
