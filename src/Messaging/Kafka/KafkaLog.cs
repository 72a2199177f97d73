using Microsoft.Extensions.Logging;

namespace Analytics.Messaging.Kafka;

/// <summary>Log lines of the Kafka transport (event ids 3100-3199). Never message bodies or credentials.</summary>
internal static partial class KafkaLog
{
    [LoggerMessage(3100, LogLevel.Information, "Kafka transport using {BootstrapServers} (security {SecurityProtocol}); topics requests={Requests} decisions={Decisions} alerts={Alerts} dead-letter={DeadLetter}")]
    public static partial void Started(ILogger logger, string bootstrapServers, string securityProtocol, string requests, string decisions, string alerts, string deadLetter);

    [LoggerMessage(3101, LogLevel.Warning, "Stream {Stream}: dropped {Count} message(s) in the last {Seconds}s ({Total} since start); buffered now {Buffered}")]
    public static partial void Dropped(ILogger logger, string stream, long count, int seconds, long total, int buffered);

    [LoggerMessage(3102, LogLevel.Warning, "Kafka {Client} error: {Code} {Reason}")]
    public static partial void ClientError(ILogger logger, string client, string code, string reason);

    [LoggerMessage(3103, LogLevel.Critical, "Kafka {Client} fatal error, the client stops: {Code} {Reason}")]
    public static partial void FatalError(ILogger logger, string client, string code, string reason);

    [LoggerMessage(3104, LogLevel.Information, "Created Kafka topics: {Topics}")]
    public static partial void TopicsCreated(ILogger logger, string topics);

    [LoggerMessage(3105, LogLevel.Warning, "Could not ensure Kafka topics ({Reason}); continuing with topics as they are or as the brokers auto-create them")]
    public static partial void TopicsNotEnsured(ILogger logger, string reason);

    [LoggerMessage(3106, LogLevel.Warning, "Poison message on {Topic} [{Partition}] @{Offset} moved to {DeadLetterTopic}: {Error}")]
    public static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, string error);

    [LoggerMessage(3107, LogLevel.Error, "Could not dead-letter the poison message on {Topic} [{Partition}] @{Offset}; skipping it")]
    public static partial void DeadLetterFailed(ILogger logger, Exception exception, string topic, int partition, long offset);

    [LoggerMessage(3108, LogLevel.Information, "Consumer group {Group} on {Topic}: partitions {Change} [{Partitions}]")]
    public static partial void Rebalance(ILogger logger, string group, string topic, string change, string partitions);

    [LoggerMessage(3109, LogLevel.Information, "Replay of {Topic} caught up ({Partitions} partitions)")]
    public static partial void CaughtUp(ILogger logger, string topic, int partitions);

    [LoggerMessage(3110, LogLevel.Warning, "Flush timed out after {Seconds}s; {Count} message(s) not delivered are counted as dropped")]
    public static partial void FlushTimedOut(ILogger logger, int seconds, long count);

    [LoggerMessage(3111, LogLevel.Debug, "librdkafka {Facility} [{Level}] {Client}: {Message}")]
    public static partial void Librdkafka(ILogger logger, string facility, int level, string client, string message);

    [LoggerMessage(3112, LogLevel.Warning, "Replay of {Topic}: {Reason}; retrying")]
    public static partial void ReplayWaiting(ILogger logger, string topic, string reason);

    [LoggerMessage(3113, LogLevel.Warning, "Could not store the offset of {Topic} [{Partition}] @{Offset} (partition no longer assigned); the group will deliver it again")]
    public static partial void StoreOffsetFailed(ILogger logger, string topic, int partition, long offset);
}
