using System.Buffers;
using System.Text.Json;

namespace Analytics.Search.Ecs;

/// <summary>Writes documents as Elasticsearch <c>_bulk</c> lines: a <c>create</c> action naming the data stream and the id, then the source.</summary>
public static class BulkLines
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = false };

    /// <summary>Appends the action line and the document line for <paramref name="document"/>.</summary>
    public static void Write(IBufferWriter<byte> output, EcsDocument document, string @namespace)
    {
        using (var w = new Utf8JsonWriter(output, Options))
        {
            w.WriteStartObject();
            w.WriteStartObject("create");
            w.WriteString("_index", document.Stream.DataStream(@namespace));
            w.WriteString("_id", document.Id);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        output.Write("\n"u8);
        output.Write(document.Source.Span);
        output.Write("\n"u8);
    }

    /// <summary>The <c>_id</c> of an action line, or null when the line is not a <c>create</c> action.</summary>
    public static string? ActionId(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.Read()
                || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("create"u8))
            {
                return null;
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var depth = reader.CurrentDepth;
            while (reader.Read() && reader.CurrentDepth > depth)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("_id"u8) && reader.Read())
                {
                    return reader.GetString();
                }
            }

            return "";
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
