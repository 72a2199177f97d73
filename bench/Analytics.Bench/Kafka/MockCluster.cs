using Analytics.Messaging;
using Confluent.Kafka;

namespace Analytics.Bench.Kafka;

/// <summary>A librdkafka mock cluster owned by one admin client; its brokers speak the real protocol on loopback.</summary>
internal sealed class MockCluster : IDisposable
{
    private readonly IAdminClient _owner;

    public MockCluster(int brokers)
    {
        var config = new AdminClientConfig { BootstrapServers = "mock" };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _owner = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var metadata = _owner.GetMetadata(TimeSpan.FromSeconds(30));
        BootstrapServers = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
    }

    public string BootstrapServers { get; }

    /// <summary>
    /// The Streams configuration of a service on this cluster with its own <paramref name="topics"/>
    /// (created beforehand: the mock cluster has no CreateTopics).
    /// </summary>
    public Dictionary<string, string?> StreamSettings(KafkaTopicNames topics, string clientId) =>
        StreamSettings(BootstrapServers, topics, clientId);

    /// <summary>The same, for a mock cluster at <paramref name="bootstrapServers"/> (one in another process).</summary>
    public static Dictionary<string, string?> StreamSettings(string bootstrapServers, KafkaTopicNames topics, string clientId) => new()
    {
        ["Streams:Transport"] = "Kafka",
        ["Streams:Kafka:BootstrapServers"] = bootstrapServers,
        ["Streams:Kafka:ClientId"] = clientId,
        ["Streams:Kafka:Topics:Requests"] = topics.Requests,
        ["Streams:Kafka:Topics:Decisions"] = topics.Decisions,
        ["Streams:Kafka:Topics:Alerts"] = topics.Alerts,
        ["Streams:Kafka:Topics:DeadLetter"] = topics.DeadLetter,
        ["Streams:Kafka:EnsureTopics"] = "false",
    };

    public void Dispose() => _owner.Dispose();
}
