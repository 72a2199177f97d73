using System.Collections.Concurrent;
using Analytics.ServiceDefaults.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.ServiceDefaults.Tests.Telemetry;

/// <summary>Runs alone: a host with an OTLP endpoint listens to every <c>Analytics.*</c> activity source in the process.</summary>
[CollectionDefinition(nameof(OtlpExportTests), DisableParallelization = true)]
[Collection(nameof(OtlpExportTests))]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_traces_and_metrics_are_sent_to_it()
    {
        var received = new ConcurrentQueue<string>();
        await using var collector = await StartCollectorAsync(received);
        var collectorUrl = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await using var host = await AdminHost.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collectorUrl,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });
        using var admin = host.Client(AdminHost.Token);

        for (var attempt = 0; attempt < 100 && !(received.Contains("/v1/traces") && received.Contains("/v1/metrics")); attempt++)
        {
            using var response = await admin.GetAsync("/things");
            await Task.Delay(100);
        }

        Assert.Contains("/v1/traces", received);
        Assert.Contains("/v1/metrics", received);
    }

    [Theory]
    [InlineData("Analytics.Analyzer.Decisions")]
    [InlineData("Analytics.Alerts.Delivery")]
    public async Task With_an_OTLP_endpoint_the_tracer_records_our_own_activity_sources(string name)
    {
        // A fresh source of the same name: nothing else in this process listens to it before the host starts.
        using var source = new System.Diagnostics.ActivitySource(name);
        var before = source.HasListeners();
        await using var host = await AdminHost.StartAsync(new Dictionary<string, string?>
        {
            // Nothing listens on port 1: the exporter's sends fail quietly, which this test does not need.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:1",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        using var span = source.StartActivity("probe");

        Assert.False(before);
        Assert.True(source.HasListeners());
        Assert.NotNull(span);
        Assert.True(span.Recorded);
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_nothing_is_exported_and_no_spans_are_recorded()
    {
        await using var host = await AdminHost.StartAsync();

        Assert.Null(host.App.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
    }

    /// <summary>A stand-in collector: accepts OTLP/HTTP posts and remembers their paths.</summary>
    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<string> received)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            received.Enqueue(context.Request.Path);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync();
        return app;
    }
}
