using System.Net;
using Analytics.Alerts.Routing;
using Analytics.Alerts.Tests.Support;
using Analytics.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Alerts.Tests.Routing;

/// <summary>/readyz waits for the dispatcher's Kafka consumer to hold its assignment (librdkafka's mock cluster).</summary>
public sealed class ConsumerReadinessTests
{
    [Fact]
    public async Task Readyz_turns_ready_once_the_dispatcher_is_assigned()
    {
        using var cluster = new MockKafkaCluster();
        var kafka = cluster.Options("alerts-ready");
        // The mock cluster creates a topic on its first message; the dispatcher is assigned once it exists.
        await cluster.CreateTopicsAsync(kafka);
        await using var host = await AlertsHost.StartAsync(MockKafkaCluster.Settings(kafka));
        using var http = new HttpClient { BaseAddress = new Uri(host.AdminUrl) };

        var status = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 0; attempt < 600 && status != HttpStatusCode.OK; attempt++)
        {
            using var response = await http.GetAsync("/readyz");
            status = response.StatusCode;
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(host.Services.GetRequiredKeyedService<ConsumerAssignment>(AlertDispatcher.ConsumerKey).IsAssigned);
    }

    [Fact]
    public async Task Readyz_is_not_ready_while_the_dispatcher_has_no_assignment()
    {
        // Nothing listens on port 1, so the dispatcher can never join its group.
        await using var host = await AlertsHost.StartAsync(MockKafkaCluster.Settings(new KafkaStreamsOptions { BootstrapServers = "127.0.0.1:1", FlushTimeoutSeconds = 2 }));
        using var http = new HttpClient { BaseAddress = new Uri(host.AdminUrl) };

        using var ready = await http.GetAsync("/readyz");
        using var live = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
