using System.ComponentModel.DataAnnotations;

namespace Analytics.Messaging;

/// <summary>Which transport carries the streams (<c>Streams</c> config section).</summary>
public sealed class StreamsOptions
{
    public const string Section = "Streams";

    /// <summary><c>InProcess</c> (one process, the default) or <c>Kafka</c>.</summary>
    public string Transport { get; set; } = "InProcess";

    public InProcessStreamsOptions InProcess { get; set; } = new();

    public KafkaStreamsOptions Kafka { get; set; } = new();
}

/// <summary>Settings of the in-process transport.</summary>
public sealed class InProcessStreamsOptions
{
    /// <summary>Messages each consumer group may have waiting before publishers drop (requests) or wait (decisions, alerts).</summary>
    [Range(16, 10_000_000)]
    public int Capacity { get; set; } = 100_000;

    /// <summary>
    /// Folder where compacted streams (decisions) are kept as <c>{stream}.jsonl</c>, so they
    /// survive a restart the way Kafka's compacted topic does. Null keeps them in memory only.
    /// </summary>
    public string? DataDirectory { get; set; }
}

/// <summary>Settings of the Kafka transport (<c>Streams:Kafka</c>).</summary>
public sealed class KafkaStreamsOptions
{
    /// <summary>Comma-separated host:port list.</summary>
    public string BootstrapServers { get; set; } = "localhost:9092";

    /// <summary>Identifies this process to the brokers; defaults to the service name and host.</summary>
    public string? ClientId { get; set; }

    /// <summary><c>Plaintext</c> (default), <c>Ssl</c>, <c>SaslPlaintext</c> or <c>SaslSsl</c> (librdkafka spellings such as <c>SASL_SSL</c> also work).</summary>
    public string? SecurityProtocol { get; set; }

    /// <summary><c>PLAIN</c>, <c>SCRAM-SHA-256</c> or <c>SCRAM-SHA-512</c>.</summary>
    public string? SaslMechanism { get; set; }

    public string? SaslUsername { get; set; }

    /// <summary>Never logged.</summary>
    public string? SaslPassword { get; set; }

    /// <summary>CA bundle (PEM file) to verify the brokers' certificates; passed through to librdkafka.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>Topic names per stream.</summary>
    public KafkaTopicNames Topics { get; set; } = new();

    /// <summary>Partitions to create each topic with, when the transport creates it.</summary>
    public KafkaTopicPartitions Partitions { get; set; } = new();

    /// <summary>Replication factor for created topics; -1 uses the broker's default.</summary>
    public short ReplicationFactor { get; set; } = -1;

    /// <summary>Create missing topics at start-up through the admin API (falls back to broker auto-creation when refused).</summary>
    public bool EnsureTopics { get; set; } = true;

    /// <summary>Events <c>TryPublish</c> may hold in memory in front of librdkafka before it drops (and counts) them.</summary>
    public int RequestsBufferCapacity { get; set; } = 100_000;

    /// <summary>librdkafka's own producer queue bound (<c>queue.buffering.max.messages</c>), behind the in-memory buffer.</summary>
    public int ProducerQueueMaxMessages { get; set; } = 100_000;

    /// <summary>How long librdkafka keeps retrying a message before it is reported failed (<c>message.timeout.ms</c>); failed events are counted as dropped.</summary>
    public int MessageTimeoutMs { get; set; } = 300_000;

    /// <summary>Time the producer waits to fill a batch (<c>linger.ms</c>).</summary>
    public double LingerMs { get; set; } = 20;

    /// <summary>Maximum batch size in bytes (<c>batch.size</c>).</summary>
    public int BatchSizeBytes { get; set; } = 1_000_000;

    /// <summary><c>lz4</c> (default), <c>zstd</c>, <c>snappy</c>, <c>gzip</c> or <c>none</c>.</summary>
    public string Compression { get; set; } = "lz4";

    /// <summary>
    /// Longest a consumer's fetch waits at a broker when it has no new data (<c>fetch.wait.max.ms</c>;
    /// librdkafka's own default is 500). A broker that holds the fetch until data comes answers
    /// sooner anyway; one that waits the whole time (librdkafka's mock cluster) adds up to this
    /// much to every hop of a decision (requests → analyzer, decisions → sidecar), and an idle
    /// consumer sends one fetch per broker this often.
    /// </summary>
    public int FetchWaitMaxMs { get; set; } = 100;

    /// <summary>How long disposal waits for buffered messages to be delivered.</summary>
    public int FlushTimeoutSeconds { get; set; } = 10;

    /// <summary>Drops are logged at most once per this interval, with the count.</summary>
    public int DropLogIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// Further librdkafka properties for every client (e.g. <c>ssl.certificate.location</c>).
    /// Applied first, so they cannot weaken the delivery settings the transport sets in code.
    /// </summary>
    public Dictionary<string, string> Librdkafka { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Kafka topic names per stream (<c>Streams:Kafka:Topics</c>).</summary>
public sealed class KafkaTopicNames
{
    public string Requests { get; set; } = Streams.Requests.DefaultTopic;
    public string Decisions { get; set; } = Streams.Decisions.DefaultTopic;
    public string Alerts { get; set; } = Streams.Alerts.DefaultTopic;

    /// <summary>Where poison messages go, with headers naming the error and their origin.</summary>
    public string DeadLetter { get; set; } = "analytics.deadletter";
}

/// <summary>Partition counts per topic (<c>Streams:Kafka:Partitions</c>).</summary>
public sealed class KafkaTopicPartitions
{
    public int Requests { get; set; } = 12;
    public int Decisions { get; set; } = 3;
    public int Alerts { get; set; } = 3;
    public int DeadLetter { get; set; } = 1;
}
