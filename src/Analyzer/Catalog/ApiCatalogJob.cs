using System.Net.Http.Headers;
using System.Text.Json;
using Analytics.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Catalog;

/// <summary>
/// The recurring API catalog job: reads each service's observed catalog from its sidecar's
/// admin API, compares it with the service's OpenAPI document and publishes shadow and zombie
/// API alerts. A plain class: Hangfire calls <see cref="RunAsync"/>.
/// </summary>
public sealed partial class ApiCatalogJob(
    IHttpClientFactory httpClients,
    IOptions<ApiCatalogJobOptions> options,
    IStreamTransport transport,
    TimeProvider time,
    ILogger<ApiCatalogJob> logger)
{
    public const string HttpClientName = "api-catalog";

    /// <summary>Checks every configured service; returns the alerts it published.</summary>
    public async Task<IReadOnlyList<Alert>> RunAsync(CancellationToken cancellationToken = default)
    {
        var published = new List<Alert>();
        var producer = transport.GetProducer(Streams.Alerts);
        var o = options.Value;
        foreach (var (service, source) in o.Services)
        {
            ObservedCatalog? catalog;
            try
            {
                catalog = await FetchAsync(source, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                // One unreachable sidecar must not stop the others; the next run tries again.
                LogFetchFailed(logger, service, ex.Message);
                continue;
            }

            List<DocumentedOperation> documented;
            try
            {
                documented = source.OpenApi is { Length: > 0 } file && File.Exists(file)
                    ? CatalogAnalysis.ReadOpenApi(await File.ReadAllTextAsync(file, cancellationToken))
                    : [];
            }
            catch (InvalidDataException ex)
            {
                // A broken document would make every observed operation look like a shadow API.
                LogDocumentUnreadable(logger, service, ex.Message);
                continue;
            }

            var alerts = CatalogAnalysis.Analyze(service, catalog?.Operations ?? [], documented, time.GetUtcNow(), TimeSpan.FromDays(o.ZombieAfterDays));
            foreach (var alert in alerts)
            {
                await producer.PublishAsync(alert.DedupKey, alert, cancellationToken);
                published.Add(alert);
            }

            LogChecked(logger, service, catalog?.Operations.Count ?? 0, documented.Count, alerts.Count);
        }

        return published;
    }

    private async Task<ObservedCatalog?> FetchAsync(CatalogSource source, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, source.AdminUrl.TrimEnd('/') + "/catalog");
        if (!string.IsNullOrEmpty(source.AdminToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", source.AdminToken);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, CatalogJobJson.Default.ObservedCatalog, cancellationToken);
    }

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "OpenAPI document of {Service} could not be read, its catalog is not checked: {Reason}")]
    private static partial void LogDocumentUnreadable(ILogger logger, string service, string reason);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "API catalog of {Service} could not be read: {Reason}")]
    private static partial void LogFetchFailed(ILogger logger, string service, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "API catalog of {Service}: {Observed} observed, {Documented} documented operations, {Alerts} alerts")]
    private static partial void LogChecked(ILogger logger, string service, int observed, int documented, int alerts);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(ObservedCatalog))]
internal sealed partial class CatalogJobJson : System.Text.Json.Serialization.JsonSerializerContext;
