using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Analytics.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry for every service: metrics from every <c>Analytics.*</c> meter (so a feature's
/// new meter is exported without touching this file), ASP.NET Core, HttpClient and runtime
/// instruments, W3C trace context, a Prometheus scrape endpoint, and OTLP when configured.
/// </summary>
public static class ServiceTelemetry
{
    /// <summary>
    /// Meter names exported. OpenTelemetry matches wildcards case-insensitively, so this also
    /// covers lower-case names such as <c>analytics.streams</c>.
    /// </summary>
    public const string MeterPattern = "Analytics.*";

    /// <summary>The activity source of our own spans (e.g. the analyzer linking a decision to a request's trace).</summary>
    public const string ActivitySourcePattern = "Analytics.*";

    /// <summary>The standard variable that turns the OTLP exporter on (traces, metrics and logs).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Where the admin listener serves the Prometheus text format.</summary>
    public const string ScrapePath = "/metrics";

    private sealed class Marker;

    /// <summary>
    /// Adds OpenTelemetry once per host. <paramref name="serviceName"/> is the resource's
    /// <c>service.name</c> unless <c>OTEL_SERVICE_NAME</c> is set.
    /// </summary>
    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(Marker)))
        {
            return builder;
        }

        builder.Services.AddSingleton<Marker>();
        builder.Services.AddMetrics();
        builder.Services.AddHostedService<TraceContextListener>();
        var name = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured ? configured : serviceName;
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(name))
            .WithMetrics(metrics => metrics
                .AddMeter(MeterPattern)
                .AddMeter(AspNetCoreMeters)
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .DropPerRequestBookkeeping()
                // The scrape is served by the admin branch, which checks the credential first.
                .AddPrometheusExporter());

        if (RecordsSpans(builder.Configuration))
        {
            // Spans are recorded only when there is somewhere to send them. Without a collector
            // ASP.NET Core still continues or starts the W3C trace for every request (its hosting
            // activity), YARP passes traceparent on, and the RequestEvent carries the trace id.
            otel.WithTracing(tracing => tracing
                .AddSource(ActivitySourcePattern)
                // Probes and scrapes are not traffic worth a trace.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbeOrScrape(context.Request.Path))
                .AddHttpClientInstrumentation());
            // Reads the endpoint, protocol and headers from the standard OTEL_EXPORTER_OTLP_* variables.
            otel.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// ASP.NET Core's own meters, the ones OpenTelemetry's ASP.NET Core instrumentation adds.
    /// Named here rather than through <c>AddAspNetCoreInstrumentation()</c> on the metrics side,
    /// which also wraps every request in a middleware of its own (an async frame and a state
    /// machine per request on the proxy's core, 1.8 % of its allocated bytes) only to tag
    /// <c>error.type</c> on exceptions that escape the pipeline; our services answer those
    /// themselves, and hosting tags an unhandled exception anyway.
    /// <c>Microsoft.AspNetCore.MemoryPool</c> is left out: it counts every rent and return of
    /// Kestrel's buffers, several per request (0.5 % of the proxy's CPU in the request-path
    /// profile), and the runtime's own memory instruments already tell the heap's size.
    /// </summary>
    internal static readonly string[] AspNetCoreMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
    ];

    /// <summary>
    /// Instruments that ASP.NET Core and HttpClient update on every proxied request (some twice)
    /// and that answer no question the request and upstream duration histograms do not: each
    /// enabled one cost the proxy's core measurably in the request-path profile
    /// (docs/request-path.md). A dropped instrument is never enabled, so its owner skips the
    /// measurement altogether.
    /// </summary>
    internal static readonly string[] DroppedInstruments =
    [
        "aspnetcore.routing.match_attempts",
        "http.client.active_requests",
        "http.client.open_connections",
        "http.client.request.time_in_queue",
    ];

    private static MeterProviderBuilder DropPerRequestBookkeeping(this MeterProviderBuilder metrics)
    {
        foreach (var instrument in DroppedInstruments)
        {
            metrics.AddView(instrument, MetricStreamConfiguration.Drop);
        }

        return metrics;
    }

    /// <summary>
    /// Whether spans are recorded and exported (an OTLP endpoint is configured). Without it trace
    /// context is only propagated, and a service may propagate it the cheapest way it can.
    /// </summary>
    public static bool RecordsSpans(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);

    internal static bool IsProbeOrScrape(PathString path) =>
        path.Equals("/healthz", StringComparison.Ordinal)
        || path.Equals("/readyz", StringComparison.Ordinal)
        || path.Equals(ScrapePath, StringComparison.Ordinal);
}
