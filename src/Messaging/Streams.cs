using System.Text.Json.Serialization.Metadata;

namespace Analytics.Messaging;

/// <summary>Names one of the three streams: its logical name, default Kafka topic and JSON contract.</summary>
public sealed class StreamDescriptor<T> where T : class
{
    internal StreamDescriptor(string name, string defaultTopic, JsonTypeInfo<T> typeInfo, bool compacted)
    {
        Name = name;
        DefaultTopic = defaultTopic;
        TypeInfo = typeInfo;
        Compacted = compacted;
    }

    /// <summary>Logical name, also the key under <c>Streams:Kafka:Topics</c>.</summary>
    public string Name { get; }
    public string DefaultTopic { get; }
    public JsonTypeInfo<T> TypeInfo { get; }
    /// <summary>True for streams that keep only the latest message per key (decisions).</summary>
    public bool Compacted { get; }

    public override string ToString() => Name;
}

/// <summary>The three streams of the system, and the analyzer's internal re-keyed request stream.</summary>
public static class Streams
{
    /// <summary>One event per request, keyed by client IP.</summary>
    public static readonly StreamDescriptor<RequestEvent> Requests =
        new("requests", "analytics.requests", MessagesJsonContext.Default.RequestEvent, compacted: false);

    /// <summary>Decisions keyed <c>scope:value</c>; compacted; a tombstone removes one.</summary>
    public static readonly StreamDescriptor<Decision> Decisions =
        new("decisions", "analytics.decisions", MessagesJsonContext.Default.Decision, compacted: true);

    /// <summary>
    /// The analyzer's second stage: request events re-published once per aggregate entity they
    /// touch (principal, range, login target, route, fingerprint), keyed <c>scope:key</c>, so each
    /// such entity's events meet in one partition whichever analyzer instance read them first.
    /// </summary>
    public static readonly StreamDescriptor<RequestEvent> RequestsByEntity =
        new("requests-by-entity", "analytics.requests.by-entity", MessagesJsonContext.Default.RequestEvent, compacted: false);

    /// <summary>Alerts keyed by dedup key; consumed at least once.</summary>
    public static readonly StreamDescriptor<Alert> Alerts =
        new("alerts", "analytics.alerts", MessagesJsonContext.Default.Alert, compacted: false);
}
