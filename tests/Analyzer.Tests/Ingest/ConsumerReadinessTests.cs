using System.Net;
using Analytics.Analyzer.Ingest;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Analyzer.Tests.Ingest;

/// <summary>/readyz waits for the analyzer's and the search indexers' Kafka consumers to hold their assignments (librdkafka's mock cluster).</summary>
public sealed class ConsumerReadinessTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("analyzer-ready-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Readyz_turns_ready_once_every_group_consumer_is_assigned()
    {
        using var cluster = new MockKafkaCluster();
        var kafka = cluster.Options("ready");
        await cluster.CreateTopicsAsync(kafka);
        await using var app = await StartAsync(kafka);
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<AdminEndpointInfo>().Url!) };

        var status = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 0; attempt < 300 && status != HttpStatusCode.OK; attempt++)
        {
            using var response = await http.GetAsync("/readyz");
            status = response.StatusCode;
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(100);
            }
        }

        var assigned = string.Join(", ", new[] { AnalyzerConsumers.Requests, "search." + Streams.Requests.Name, "search." + Streams.Decisions.Name, "search." + Streams.Alerts.Name }
            .Select(k => $"{k}={app.Services.GetRequiredKeyedService<ConsumerAssignment>(k).IsAssigned}"));
        Assert.True(status == HttpStatusCode.OK, assigned);
        Assert.True(app.Services.GetRequiredKeyedService<ConsumerAssignment>(AnalyzerConsumers.Requests).IsAssigned);
        Assert.True(app.Services.GetRequiredKeyedService<ConsumerAssignment>("search." + Streams.Alerts.Name).IsAssigned);
    }

    [Fact]
    public async Task Readyz_is_not_ready_while_the_consumer_has_no_assignment()
    {
        // Nothing listens on port 1, so the consumer can never join its group.
        await using var app = await StartAsync(new KafkaStreamsOptions { BootstrapServers = "127.0.0.1:1", FlushTimeoutSeconds = 2 });
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<AdminEndpointInfo>().Url!) };

        using var ready = await http.GetAsync("/readyz");
        using var live = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.False(app.Services.GetRequiredKeyedService<ConsumerAssignment>(AnalyzerConsumers.Requests).IsAssigned);
    }

    private async Task<WebApplication> StartAsync(KafkaStreamsOptions kafka)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var config = builder.Configuration;
        config["Analyzer:Admin:Url"] = "http://127.0.0.1:0";
        config["Analyzer:Admin:Token"] = "analyzer-ready-test-token-0123";
        config["Analyzer:Model:Enabled"] = "false";
        config["Analyzer:Hangfire:Enabled"] = "false";
        config["Search:Archive:Directory"] = Path.Combine(_data, "search");
        config["Search:DeadLetterPath"] = Path.Combine(_data, "dead-letter.ndjson");
        config["Search:Report:Directory"] = Path.Combine(_data, "reports");
        config.AddInMemoryCollection(MockKafkaCluster.Settings(kafka));
        builder.AddAdminListener("Analyzer:Admin");
        builder.AddAnalyzer();
        var app = builder.Build();
        app.UseAdminListener();
        app.UseAnalyzer();
        await app.StartAsync();
        return app;
    }
}
