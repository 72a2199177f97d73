using Analytics.Messaging;

namespace Analytics.Alerts.Tests.Support;

/// <summary>Configuration that points the alerts service at a (mock) Kafka cluster's topics.</summary>
internal static class KafkaSettings
{
    public static Dictionary<string, string?> For(string bootstrap, KafkaTopicNames topics) => new()
    {
        ["Streams:Transport"] = "Kafka",
        ["Streams:Kafka:BootstrapServers"] = bootstrap,
        ["Streams:Kafka:Topics:Requests"] = topics.Requests,
        ["Streams:Kafka:Topics:Decisions"] = topics.Decisions,
        ["Streams:Kafka:Topics:Alerts"] = topics.Alerts,
        ["Streams:Kafka:Topics:DeadLetter"] = topics.DeadLetter,
        ["Streams:Kafka:EnsureTopics"] = "false",
        ["Streams:Kafka:LingerMs"] = "5",
        ["Streams:Kafka:FlushTimeoutSeconds"] = "2",
        ["Streams:Kafka:Librdkafka:session.timeout.ms"] = "6000",
    };
}
