using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Analytics.Messaging.Kafka;

/// <summary>Creates the stream topics when missing; where the brokers refuse, says so once and leaves it to auto-creation.</summary>
internal static class KafkaTopics
{
    public static IReadOnlyList<TopicSpecification> Specifications(KafkaStreamsOptions o) =>
    [
        Spec(o.Topics.Requests, o.Partitions.Requests, o.ReplicationFactor, compacted: false),
        Spec(KafkaClientSettings.TopicFor(o, Streams.RequestsByEntity), o.Partitions.Requests, o.ReplicationFactor, compacted: false),
        Spec(o.Topics.Decisions, o.Partitions.Decisions, o.ReplicationFactor, compacted: true),
        Spec(o.Topics.Alerts, o.Partitions.Alerts, o.ReplicationFactor, compacted: false),
        Spec(o.Topics.DeadLetter, o.Partitions.DeadLetter, o.ReplicationFactor, compacted: false),
    ];

    public static async Task EnsureAsync(KafkaTransport transport, CancellationToken cancellationToken, TimeSpan? requestTimeout = null)
    {
        var specs = Specifications(transport.Options);
        using var admin = new AdminClientBuilder(KafkaClientSettings.Admin(transport.Options))
            .SetErrorHandler((_, error) => transport.ReportClientError("admin", error))
            .SetLogHandler(transport.OnLibrdkafkaLog)
            .Build();
        try
        {
            await admin.CreateTopicsAsync(specs, new CreateTopicsOptions { RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30) }).WaitAsync(cancellationToken);
            KafkaLog.TopicsCreated(transport.Logger, string.Join(", ", specs.Select(s => s.Name)));
        }
        catch (CreateTopicsException ex)
        {
            var created = ex.Results.Where(r => !r.Error.IsError).Select(r => r.Topic).ToList();
            if (created.Count > 0)
            {
                KafkaLog.TopicsCreated(transport.Logger, string.Join(", ", created));
            }

            var refused = ex.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists).ToList();
            if (refused.Count > 0)
            {
                KafkaLog.TopicsNotEnsured(transport.Logger, string.Join("; ", refused.Select(r => $"{r.Topic}: {r.Error.Code}")));
            }
        }
        catch (KafkaException ex)
        {
            KafkaLog.TopicsNotEnsured(transport.Logger, $"{ex.Error.Code}: {ex.Error.Reason}");
        }
        catch (TimeoutException)
        {
            KafkaLog.TopicsNotEnsured(transport.Logger, "timed out");
        }
    }

    private static TopicSpecification Spec(string name, int partitions, short replication, bool compacted)
    {
        var spec = new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = replication };
        if (compacted)
        {
            spec.Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" };
        }

        return spec;
    }
}
