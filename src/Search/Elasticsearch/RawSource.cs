using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Search.Elasticsearch;

/// <summary>A document whose JSON is already written (by the ECS mapping); the client's serializer copies it as is.</summary>
[JsonConverter(typeof(RawSourceConverter))]
internal sealed class RawSource(ReadOnlyMemory<byte> json)
{
    public ReadOnlyMemory<byte> Json { get; } = json;

    private sealed class RawSourceConverter : JsonConverter<RawSource>
    {
        public override RawSource Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            return new RawSource(JsonSerializer.SerializeToUtf8Bytes(doc.RootElement));
        }

        public override void Write(Utf8JsonWriter writer, RawSource value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json.Span, skipInputValidation: true);
    }
}
