using System.Text.RegularExpressions;
using Analytics.ServiceDefaults.Options;
using Confluent.Kafka;

namespace Analytics.Messaging.Kafka;

/// <summary>Turns <see cref="KafkaStreamsOptions"/> into librdkafka client configs and checks them at start-up.</summary>
internal static partial class KafkaClientSettings
{
    public const string SectionPath = "Streams:Kafka";

    public static ProducerConfig Producer(KafkaStreamsOptions o)
    {
        var config = new ProducerConfig(Common(o, "producer"))
        {
            // Delivery guarantees are decided here, not in configuration.
            EnableIdempotence = true,
            Acks = Acks.All,
            MaxInFlight = 5,
            CompressionType = ParseCompression(o.Compression) ?? CompressionType.Lz4,
            LingerMs = o.LingerMs,
            BatchSize = o.BatchSizeBytes,
            QueueBufferingMaxMessages = o.ProducerQueueMaxMessages,
            MessageTimeoutMs = o.MessageTimeoutMs,
            // Same key → partition mapping as the Java clients, so other producers agree with us.
            Partitioner = Partitioner.Murmur2Random,
            // Delivery reports are only counted (published or failed): without this the client
            // copies every message's key, value, headers and timestamp back into managed objects,
            // on the proxy's core, once per request event.
            DeliveryReportFields = "status",
        };
        return config;
    }

    public static ConsumerConfig GroupConsumer(KafkaStreamsOptions o, string group) => new(Common(o, "consumer"))
    {
        GroupId = group,
        EnableAutoCommit = true,
        // Offsets are stored only when the service calls Commit, so auto-commit never runs ahead of the work.
        EnableAutoOffsetStore = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        AllowAutoCreateTopics = true,
        FetchWaitMaxMs = o.FetchWaitMaxMs,
    };

    public static ConsumerConfig ReplayConsumer(KafkaStreamsOptions o) => new(Common(o, "replay"))
    {
        // Never joins or commits for this group: partitions are assigned by hand from the beginning.
        GroupId = "replay-" + Guid.NewGuid().ToString("N"),
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        EnablePartitionEof = true,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        AllowAutoCreateTopics = true,
        // The sidecar's decisions feed: idle nearly always, and what comes is urgent.
        FetchWaitMaxMs = o.FetchWaitMaxMs,
    };

    public static AdminClientConfig Admin(KafkaStreamsOptions o) => new(Common(o, "admin"));

    private static ClientConfig Common(KafkaStreamsOptions o, string role)
    {
        var config = new ClientConfig(new Dictionary<string, string>(o.Librdkafka, StringComparer.Ordinal))
        {
            BootstrapServers = o.BootstrapServers,
            ClientId = (o.ClientId ?? DefaultClientId()) + "-" + role,
        };
        if (ParseSecurityProtocol(o.SecurityProtocol) is { } protocol)
        {
            config.SecurityProtocol = protocol;
        }

        if (ParseSaslMechanism(o.SaslMechanism) is { } mechanism)
        {
            config.SaslMechanism = mechanism;
        }

        if (!string.IsNullOrEmpty(o.SaslUsername))
        {
            config.SaslUsername = o.SaslUsername;
        }

        if (!string.IsNullOrEmpty(o.SaslPassword))
        {
            config.SaslPassword = o.SaslPassword;
        }

        if (!string.IsNullOrEmpty(o.SslCaLocation))
        {
            config.SslCaLocation = o.SslCaLocation;
        }

        return config;
    }

    private static string DefaultClientId() =>
        (System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "analytics") + "@" + Environment.MachineName;

    public static string TopicFor<T>(KafkaStreamsOptions o, StreamDescriptor<T> stream) where T : class => stream.Name switch
    {
        "requests" => o.Topics.Requests,
        // The re-keyed stream follows the requests topic's name, so a deployment (or a test) that renames one renames both.
        "requests-by-entity" => o.Topics.Requests + ".by-entity",
        "decisions" => o.Topics.Decisions,
        "alerts" => o.Topics.Alerts,
        _ => stream.DefaultTopic,
    };

    /// <summary>Reports every problem at once, each with its full key; never echoes the SASL password.</summary>
    public static void Validate(KafkaStreamsOptions o, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(o.BootstrapServers))
        {
            errors.Add("Kafka:BootstrapServers", "is required (comma-separated host:port list)");
        }
        else
        {
            foreach (var server in o.BootstrapServers.Split(',', StringSplitOptions.TrimEntries))
            {
                errors.AddIf(!HostPort().IsMatch(server), "Kafka:BootstrapServers", $"'{server}' is not host:port");
            }
        }

        errors.AddIf(o.SecurityProtocol is { Length: > 0 } && ParseSecurityProtocol(o.SecurityProtocol) is null,
            "Kafka:SecurityProtocol", $"'{o.SecurityProtocol}' is not one of Plaintext, Ssl, SaslPlaintext, SaslSsl");
        errors.AddIf(o.SaslMechanism is { Length: > 0 } && ParseSaslMechanism(o.SaslMechanism) is null,
            "Kafka:SaslMechanism", $"'{o.SaslMechanism}' is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
        var sasl = ParseSecurityProtocol(o.SecurityProtocol) is SecurityProtocol.SaslPlaintext or SecurityProtocol.SaslSsl;
        errors.AddIf(sasl && string.IsNullOrEmpty(o.SaslMechanism), "Kafka:SaslMechanism", "is required with a SASL security protocol");
        errors.AddIf(sasl && string.IsNullOrEmpty(o.SaslUsername), "Kafka:SaslUsername", "is required with a SASL security protocol");
        errors.AddIf(sasl && string.IsNullOrEmpty(o.SaslPassword), "Kafka:SaslPassword", "is required with a SASL security protocol");
        errors.AddIf(!sasl && (!string.IsNullOrEmpty(o.SaslUsername) || !string.IsNullOrEmpty(o.SaslPassword)),
            "Kafka:SecurityProtocol", "SASL credentials are set but the security protocol is not SaslPlaintext or SaslSsl");
        errors.AddIf(o.SslCaLocation is { Length: > 0 } && !File.Exists(o.SslCaLocation), "Kafka:SslCaLocation", $"file '{o.SslCaLocation}' does not exist");

        TopicName(errors, "Requests", o.Topics.Requests);
        TopicName(errors, "Decisions", o.Topics.Decisions);
        TopicName(errors, "Alerts", o.Topics.Alerts);
        TopicName(errors, "DeadLetter", o.Topics.DeadLetter);
        var names = new[] { o.Topics.Requests, o.Topics.Decisions, o.Topics.Alerts, o.Topics.DeadLetter };
        errors.AddIf(names.Distinct(StringComparer.Ordinal).Count() != names.Length, "Kafka:Topics", "every stream and the dead-letter topic need their own topic");

        Partitions(errors, "Requests", o.Partitions.Requests);
        Partitions(errors, "Decisions", o.Partitions.Decisions);
        Partitions(errors, "Alerts", o.Partitions.Alerts);
        Partitions(errors, "DeadLetter", o.Partitions.DeadLetter);
        errors.AddIf(o.ReplicationFactor is 0 or < -1, "Kafka:ReplicationFactor", "must be -1 (broker default) or at least 1");

        errors.AddIf(o.RequestsBufferCapacity is < 1 or > 10_000_000, "Kafka:RequestsBufferCapacity", "must be between 1 and 10000000");
        errors.AddIf(o.ProducerQueueMaxMessages is < 1 or > 10_000_000, "Kafka:ProducerQueueMaxMessages", "must be between 1 and 10000000");
        errors.AddIf(o.MessageTimeoutMs < 1000, "Kafka:MessageTimeoutMs", "must be at least 1000");
        errors.AddIf(o.LingerMs is < 0 or > 900_000, "Kafka:LingerMs", "must be between 0 and 900000");
        errors.AddIf(o.BatchSizeBytes is < 1 or > 2_147_483_647, "Kafka:BatchSizeBytes", "must be positive");
        errors.AddIf(ParseCompression(o.Compression) is null, "Kafka:Compression", $"'{o.Compression}' is not one of lz4, zstd, snappy, gzip, none");
        errors.AddIf(o.FetchWaitMaxMs is < 10 or > 10_000, "Kafka:FetchWaitMaxMs", "must be between 10 and 10000");
        errors.AddIf(o.FlushTimeoutSeconds is < 0 or > 600, "Kafka:FlushTimeoutSeconds", "must be between 0 and 600");
        foreach (var key in o.Librdkafka.Keys.Where(k => ForcedProperties.Contains(k)))
        {
            errors.Add("Kafka:Librdkafka:" + key, "is set by the transport (delivery guarantees, offsets or the options above) and cannot be overridden");
        }

        errors.AddIf(o.DropLogIntervalSeconds is < 1 or > 3600, "Kafka:DropLogIntervalSeconds", "must be between 1 and 3600");
    }

    // Properties that decide delivery guarantees or have their own option.
    private static readonly HashSet<string> ForcedProperties = new(StringComparer.Ordinal)
    {
        "enable.idempotence", "acks", "request.required.acks", "max.in.flight", "max.in.flight.requests.per.connection",
        "enable.auto.commit", "enable.auto.offset.store", "group.id", "bootstrap.servers", "sasl.password",
        "security.protocol", "sasl.mechanism", "sasl.mechanisms", "sasl.username", "ssl.ca.location",
        "fetch.wait.max.ms",
    };

    private static void TopicName(ValidationErrors errors, string key, string? name) =>
        errors.AddIf(name is null || !TopicNamePattern().IsMatch(name), "Kafka:Topics:" + key,
            $"'{name}' is not a valid topic name (1-249 of a-z A-Z 0-9 . _ -)");

    private static void Partitions(ValidationErrors errors, string key, int count) =>
        errors.AddIf(count is < 1 or > 10_000, "Kafka:Partitions:" + key, "must be between 1 and 10000");

    internal static SecurityProtocol? ParseSecurityProtocol(string? value) =>
        Normalize(value) switch
        {
            "" => null,
            "plaintext" => SecurityProtocol.Plaintext,
            "ssl" => SecurityProtocol.Ssl,
            "saslplaintext" => SecurityProtocol.SaslPlaintext,
            "saslssl" => SecurityProtocol.SaslSsl,
            _ => null,
        };

    internal static SaslMechanism? ParseSaslMechanism(string? value) =>
        Normalize(value) switch
        {
            "plain" => SaslMechanism.Plain,
            "scramsha256" => SaslMechanism.ScramSha256,
            "scramsha512" => SaslMechanism.ScramSha512,
            _ => null,
        };

    internal static CompressionType? ParseCompression(string? value) =>
        Normalize(value) switch
        {
            "lz4" => CompressionType.Lz4,
            "zstd" => CompressionType.Zstd,
            "snappy" => CompressionType.Snappy,
            "gzip" => CompressionType.Gzip,
            "none" => CompressionType.None,
            _ => null,
        };

    private static string Normalize(string? value) =>
        (value ?? "").Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim().ToLowerInvariant();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,249}$")]
    private static partial Regex TopicNamePattern();

    [GeneratedRegex(@"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+):[0-9]{1,5}$")]
    private static partial Regex HostPort();
}
