using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Messaging;

/// <summary>The version every message carries in its <c>v</c> field and the source-generated JSON contract.</summary>
public static class MessageSchema
{
    public const int Version = 1;

    public static byte[] Serialize<T>(T message, StreamDescriptor<T> stream) where T : class =>
        JsonSerializer.SerializeToUtf8Bytes(message, stream.TypeInfo);

    /// <summary>Deserializes one message; throws <see cref="JsonException"/> on bad input so callers can dead-letter it.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8, StreamDescriptor<T> stream) where T : class
    {
        // Request events are the analyzer's per-event cost: the one-pass reader takes the contract's exact
        // shape and hands anything else back to the contract's deserializer, so the result is the same.
        if (typeof(T) == typeof(RequestEvent) && RequestEventReader.TryRead(utf8, out var e, out _, out _, out _))
        {
            return (T)(object)e!;
        }

        return JsonSerializer.Deserialize(utf8, stream.TypeInfo) ?? throw new JsonException("message was JSON null");
    }
}

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(RequestEvent))]
[JsonSerializable(typeof(Decision))]
[JsonSerializable(typeof(Alert))]
[JsonSerializable(typeof(List<Alert>))]
[JsonSerializable(typeof(List<Decision>))]
/// <summary>Source-generated JSON metadata for the three message types.</summary>
public sealed partial class MessagesJsonContext : JsonSerializerContext;
