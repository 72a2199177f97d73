using Analytics.Messaging;

namespace Analytics.Bench.Kafka;

/// <summary>Topic names of their own for one benchmark run (<c>prefix.requests.&lt;guid&gt;</c>, ...), so runs on one cluster never read each other's messages.</summary>
internal static class UniqueTopics
{
    public static KafkaTopicNames Named(string prefix)
    {
        var suffix = Guid.NewGuid().ToString("N");
        return new KafkaTopicNames
        {
            Requests = $"{prefix}.requests.{suffix}",
            Decisions = $"{prefix}.decisions.{suffix}",
            Alerts = $"{prefix}.alerts.{suffix}",
            DeadLetter = $"{prefix}.deadletter.{suffix}",
        };
    }
}
