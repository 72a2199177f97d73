using System.Text.Json;
using Analytics.Search.Ecs;

namespace Analytics.Search.Indexing;

/// <summary>
/// Documents rejected for good (a mapping error, a malformed value): one NDJSON line each with
/// the reason, the status and the document, so nothing rejected is lost and it can be re-sent
/// once the cause is fixed.
/// </summary>
public sealed class DeadLetterFile(string path, TimeProvider time)
{
    private readonly Lock _lock = new();

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public long Count => Interlocked.Read(ref _count);

    private long _count;

    public void Write(EcsDocument document, string dataStream, int status, string? errorType, string? reason)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("@timestamp", EcsJson.Timestamp(time.GetUtcNow()));
            w.WriteString("index", dataStream);
            w.WriteString("id", document.Id);
            w.WriteNumber("status", status);
            w.WriteString("error_type", errorType);
            w.WriteString("reason", reason);
            w.WritePropertyName("document");
            w.WriteRawValue(document.Source.Span, skipInputValidation: true);
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        lock (_lock)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            buffer.Position = 0;
            buffer.CopyTo(file);
            file.Flush(flushToDisk: true);
        }

        Interlocked.Increment(ref _count);
    }
}
