using Analytics.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Analytics.Messaging.Tests.Kafka;

[Collection(MockKafkaCollection.Name)]
public sealed class KafkaHostingTests(MockKafkaCluster cluster)
{
    [Fact]
    public async Task Stopping_the_host_flushes_buffered_events_to_the_brokers()
    {
        var topic = MockKafkaCluster.UniqueTopic("hosting.requests");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Streams:Transport"] = "Kafka",
            ["Streams:Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Streams:Kafka:Topics:Requests"] = topic,
            ["Streams:Kafka:EnsureTopics"] = "false",
            // Batches would wait 60 s: only the flush on stop can deliver them in time.
            ["Streams:Kafka:LingerMs"] = "60000",
            ["Streams:Kafka:FlushTimeoutSeconds"] = "30",
        });
        builder.Services.AddStreams(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync(Eventually.Timeout());

        var producer = host.Services.GetRequiredService<IStreamTransport>().GetProducer(Streams.Requests);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(producer.TryPublish("192.0.2." + i, Samples.Request(i, "192.0.2." + i)));
        }

        await host.StopAsync(Eventually.Timeout());

        Assert.Equal(100, producer.Published);
        Assert.Equal(0, producer.Dropped);
    }

    [Fact]
    public async Task A_property_librdkafka_refuses_stops_start_up_with_the_section_named()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Streams:Transport"] = "Kafka",
            ["Streams:Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Streams:Kafka:EnsureTopics"] = "false",
            ["Streams:Kafka:Librdkafka:no.such.property"] = "1",
        });
        builder.Services.AddStreams(builder.Configuration);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<InvalidConfigurationException>(() => host.StartAsync(Eventually.Timeout()));
        Assert.StartsWith("Streams:Kafka: librdkafka refused", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no.such.property", ex.Message, StringComparison.Ordinal);
        Assert.Single(ServiceRunner.ConfigurationProblems(ex));
    }
}
