using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Analytics.Search.Ecs;

/// <summary>The shared pieces of every mapping: a pooled writer per thread and the ECS header fields.</summary>
internal static class EcsJson
{
    public const string EcsVersion = "9.2.0";

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>Writes one document with <paramref name="write"/> and returns a copy of its bytes.</summary>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(2048);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        write(writer, state);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>@timestamp</c>, <c>data_stream.*</c> and <c>ecs.version</c>.</summary>
    public static void Header(Utf8JsonWriter w, DateTimeOffset timestamp, SearchStream stream, string @namespace)
    {
        w.WriteString("@timestamp", Timestamp(timestamp));
        w.WriteStartObject("data_stream");
        w.WriteString("type", "logs");
        w.WriteString("dataset", stream.Dataset);
        w.WriteString("namespace", @namespace);
        w.WriteEndObject();
        w.WriteStartObject("ecs");
        w.WriteString("version", EcsVersion);
        w.WriteEndObject();
    }

    /// <summary>UTC with milliseconds and a Z, the form Elasticsearch and DuckDB both parse.</summary>
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static void StringIfSet(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }

    public static void Array(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    public static void Array(Utf8JsonWriter w, string name, string value)
    {
        w.WriteStartArray(name);
        w.WriteStringValue(value);
        w.WriteEndArray();
    }

    /// <summary>Nanoseconds, ECS's unit for durations.</summary>
    public static long Nanoseconds(double milliseconds) => (long)Math.Round(milliseconds * 1_000_000d);

    /// <summary>
    /// The ECS entity fields for a <c>scope:value</c> entity: <c>source.ip</c> for an address,
    /// <c>user.id</c> for a key or subject; and <c>user.name</c> for the admin credential of a change.
    /// </summary>
    public static void Entity(Utf8JsonWriter w, string scope, string value, string? userName = null)
    {
        if (scope == "ip")
        {
            w.WriteStartObject("source");
            w.WriteString("ip", value);
            w.WriteEndObject();
        }

        var userId = scope is "api_key" or "subject" ? value : null;
        if (userId is not null || userName is not null)
        {
            w.WriteStartObject("user");
            StringIfSet(w, "id", userId);
            StringIfSet(w, "name", userName);
            w.WriteEndObject();
        }
    }

    /// <summary>ECS <c>trace.id</c>, when set: on a decision or alert, the trace of the request that triggered it.</summary>
    public static void Trace(Utf8JsonWriter w, string? traceId)
    {
        if (string.IsNullOrEmpty(traceId))
        {
            return;
        }

        w.WriteStartObject("trace");
        w.WriteString("id", traceId);
        w.WriteEndObject();
    }

    public static void Evidence(Utf8JsonWriter w, Messaging.Evidence? e)
    {
        if (e is null)
        {
            return;
        }

        w.WriteStartObject("evidence");
        StringIfSet(w, "window", e.Window);
        if (e.WindowStart is { } s)
        {
            w.WriteString("window_start", Timestamp(s));
        }

        if (e.WindowEnd is { } end)
        {
            w.WriteString("window_end", Timestamp(end));
        }

        StringIfSet(w, "explanation", e.Explanation);
        Array(w, "sample_request_ids", e.SampleRequestIds);
        Numbers(w, "features", e.Features);
        Numbers(w, "thresholds", e.Thresholds);
        Array(w, "top_features", e.TopFeatures.Select(f => f.Feature));
        w.WriteEndObject();
    }

    private static void Numbers(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, double> values)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in values)
        {
            if (double.IsFinite(v))
            {
                w.WriteNumber(k, v);
            }
        }

        w.WriteEndObject();
    }
}
