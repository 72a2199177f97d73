using System.Text;
using System.Text.Json;

namespace Analytics.Messaging.InProcess;

/// <summary>
/// A compacted stream on disk as JSON lines <c>{"key":…,"value":…|null}</c>: appended on every
/// message, compacted to the latest value per key when loaded. The single-process stand-in for
/// Kafka's compacted decisions topic.
/// </summary>
internal sealed class CompactedFile<T>(string path, StreamDescriptor<T> stream) where T : class
{
    private static readonly UTF8Encoding NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The live entries, in the order last written; rewrites the file compacted. Unreadable lines are skipped.</summary>
    public List<(string Key, T Value)> Load()
    {
        var latest = new Dictionary<string, (long Sequence, T Value)>(StringComparer.Ordinal);
        long sequence = 0;
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (!TryParse(line, out var key, out var value))
                {
                    continue;
                }

                if (value is null)
                {
                    latest.Remove(key);
                }
                else
                {
                    latest[key] = (sequence++, value);
                }
            }
        }

        var entries = latest.OrderBy(e => e.Value.Sequence).Select(e => (e.Key, e.Value.Value)).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp, append: false, NoBom))
        {
            foreach (var (key, value) in entries)
            {
                writer.WriteLine(Line(key, value));
            }
        }

        File.Move(temp, path, overwrite: true);
        return entries;
    }

    public void Append(string key, T? value)
    {
        // Decisions are rare; a synchronous append keeps the file exactly in step with memory.
        File.AppendAllText(path, Line(key, value) + "\n", NoBom);
    }

    private string Line(string key, T? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("key", key);
            writer.WritePropertyName("value");
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, value, stream.TypeInfo);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private bool TryParse(string line, out string key, out T? value)
    {
        key = "";
        value = null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            // Valid JSON of another shape ([1], {"key":7}) is a damaged line too, not a reason to stop loading.
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String && k.GetString() is { } s)
            {
                key = s;
                value = doc.RootElement.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Object
                    ? v.Deserialize(stream.TypeInfo)
                    : null;
                return true;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
