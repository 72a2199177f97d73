using Analytics.Messaging.Kafka;

namespace Analytics.Messaging.Tests.Kafka;

[Collection(MockKafkaCollection.Name)]
public sealed class KafkaTopicsTests(MockKafkaCluster cluster)
{
    [Fact]
    public async Task Brokers_that_refuse_topic_creation_get_one_clear_log_line_and_the_transport_carries_on()
    {
        var logs = new CapturingLoggerFactory();
        var options = cluster.Options("ensure");
        await using var transport = new KafkaTransport(options, logs);

        // The mock cluster has no controller for CreateTopics: the request times out.
        var ensuring = transport.EnsureTopicsAsync(Eventually.Timeout(), TimeSpan.FromSeconds(3));
        Assert.Same(ensuring, transport.EnsureTopicsAsync(CancellationToken.None));
        // A replay consumer started meanwhile waits for creation, then uses the auto-created topic.
        using var replay = transport.CreateReplayConsumer(Streams.Decisions);
        await ensuring;

        var line = Assert.Single(logs.Lines(3105));
        Assert.Contains("Could not ensure Kafka topics", line, StringComparison.Ordinal);
        await replay.CaughtUp.WaitAsync(Eventually.DefaultTimeout);
        await transport.GetProducer(Streams.Decisions).PublishAsync("ip:192.0.2.7", Samples.Decision("192.0.2.7", "d7"));
        Assert.Equal("d7", (await replay.ReadAsync(Eventually.Timeout())).Value!.Id);

        var request = Samples.Request(1);
        Assert.True(transport.GetProducer(Streams.Requests).TryPublish(request.ClientIp, request));
        await Eventually.HoldsAsync(() => transport.GetProducer(Streams.Requests).Published == 1, "the event reaches the auto-created topic");
    }

    [Fact]
    public void Decisions_topic_is_created_compacted_with_the_configured_partitions()
    {
        var options = new KafkaStreamsOptions { ReplicationFactor = 3 };
        options.Partitions.Decisions = 7;
        var specs = KafkaTopics.Specifications(options);

        var decisions = Assert.Single(specs, s => s.Name == "analytics.decisions");
        Assert.Equal(7, decisions.NumPartitions);
        Assert.Equal(3, decisions.ReplicationFactor);
        Assert.Equal("compact", decisions.Configs["cleanup.policy"]);
        Assert.All(specs.Where(s => s.Name != "analytics.decisions"), s => Assert.True(s.Configs is null || !s.Configs.ContainsKey("cleanup.policy")));
        Assert.Contains(specs, s => s.Name == "analytics.deadletter");
    }

    [Fact]
    public void The_second_stages_topic_is_ensured_beside_the_requests_topic_with_its_partitions()
    {
        // The mock cluster cannot create topics (see above), so the specification is what is checked.
        var options = new KafkaStreamsOptions { Topics = new KafkaTopicNames { Requests = "shop.requests" } };
        options.Partitions.Requests = 12;

        var specs = KafkaTopics.Specifications(options);

        var byEntity = Assert.Single(specs, s => s.Name == "shop.requests.by-entity");
        Assert.Equal(12, byEntity.NumPartitions);
        Assert.True(byEntity.Configs is null || !byEntity.Configs.ContainsKey("cleanup.policy"));
        Assert.Equal(KafkaClientSettings.TopicFor(options, Streams.RequestsByEntity), byEntity.Name);
    }
}
