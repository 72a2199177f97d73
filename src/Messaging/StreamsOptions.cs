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
}
