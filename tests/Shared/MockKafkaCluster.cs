using Analytics.Messaging;
using Confluent.Kafka;

namespace Analytics.Tests.Shared;

/// <summary>
/// librdkafka's built-in mock cluster: the admin client below owns it (it lives as long as the
/// client), and its brokers' loopback addresses become the bootstrap list for the real clients.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private readonly IAdminClient _owner;

    public MockKafkaCluster()
    {
        var config = new AdminClientConfig { BootstrapServers = "mock" };
        config.Set("test.mock.num.brokers", "3");
        _owner = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var metadata = _owner.GetMetadata(TimeSpan.FromSeconds(30));
        BootstrapServers = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
        if (metadata.Brokers.Count != 3)
        {
            throw new InvalidOperationException($"mock cluster reported {metadata.Brokers.Count} brokers");
        }
    }

    public string BootstrapServers { get; }

    /// <summary>A topic name no other test uses.</summary>
    public static string UniqueTopic(string prefix) => $"{prefix}.{Guid.NewGuid():N}";

    /// <summary>Options pointing every stream at its own fresh topic on this cluster.</summary>
    public KafkaStreamsOptions Options(string test) => new()
    {
        BootstrapServers = BootstrapServers,
        ClientId = "tests-" + test,
        Topics = new KafkaTopicNames
        {
            Requests = UniqueTopic(test + ".requests"),
            Decisions = UniqueTopic(test + ".decisions"),
            Alerts = UniqueTopic(test + ".alerts"),
            DeadLetter = UniqueTopic(test + ".deadletter"),
        },
        LingerMs = 5,
        FlushTimeoutSeconds = 10,
        DropLogIntervalSeconds = 1,
        // The mock cluster waits session.timeout.ms - 1s before rebalancing a group whose last
        // member left, so a short session keeps "next consumer in the same group" tests quick.
        Librdkafka = { ["session.timeout.ms"] = "6000" },
    };

    /// <summary>
    /// The configuration a service host reads to use <paramref name="options"/>: the Kafka
    /// transport, its cluster and topics, and its client settings. Topics are not ensured at start-up
    /// (the mock cluster has no CreateTopics; see <see cref="CreateTopicsAsync"/>).
    /// </summary>
    public static Dictionary<string, string?> Settings(KafkaStreamsOptions options)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Streams:Transport"] = "Kafka",
            ["Streams:Kafka:BootstrapServers"] = options.BootstrapServers,
            ["Streams:Kafka:Topics:Requests"] = options.Topics.Requests,
            ["Streams:Kafka:Topics:Decisions"] = options.Topics.Decisions,
            ["Streams:Kafka:Topics:Alerts"] = options.Topics.Alerts,
            ["Streams:Kafka:Topics:DeadLetter"] = options.Topics.DeadLetter,
            ["Streams:Kafka:EnsureTopics"] = "false",
            ["Streams:Kafka:LingerMs"] = options.LingerMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Streams:Kafka:FlushTimeoutSeconds"] = options.FlushTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in options.Librdkafka)
        {
            settings["Streams:Kafka:Librdkafka:" + key] = value;
        }

        return settings;
    }

    /// <summary>
    /// Creates every stream's topic of <paramref name="options"/>. A group consumer subscribed to a
    /// topic that does not exist yet is never assigned, and services are not ready until their
    /// consumers are, so a test that waits for /readyz before any traffic creates them first.
    /// </summary>
    public async Task CreateTopicsAsync(KafkaStreamsOptions options)
    {
        // The mock cluster has no CreateTopics; it creates a topic on its first message. A tombstone
        // is the one message every consumer of ours skips (and on the decisions stream, a no-op lift).
        // The analyzer's second stage reads <requests>.by-entity.
        using var producer = new ProducerBuilder<string, byte[]?>(new ProducerConfig { BootstrapServers = BootstrapServers }).Build();
        var t = options.Topics;
        foreach (var topic in new[] { t.Requests, t.Requests + ".by-entity", t.Decisions, t.Alerts, t.DeadLetter })
        {
            await producer.ProduceAsync(topic, new Message<string, byte[]?> { Key = "topic-warm-up", Value = null });
        }
    }

    public void Dispose() => _owner.Dispose();
}
