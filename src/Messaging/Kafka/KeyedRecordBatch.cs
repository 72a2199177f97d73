using System.Buffers;
using System.Text.Json;
using Confluent.Kafka;

namespace Analytics.Messaging.Kafka;

/// <summary>
/// Gathers the messages of one drain pass into Kafka records, one per key (in the order the keys
/// first came), each holding that key's messages in order as newline-delimited JSON. Compact JSON
/// never contains a raw newline, so a record of one message is exactly the single-message form.
/// </summary>
internal sealed class KeyedRecordBatch<T> where T : class
{
    // Below the brokers' default message.max.bytes (1 MB) with room for a last message of any size.
    internal const int RecordSoftLimitBytes = 256 * 1024;

    private readonly StreamDescriptor<T> _stream;
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly List<Builder> _records = [];
    private readonly ArrayBufferWriter<byte> _scratch = new(4096);
    private readonly Utf8JsonWriter _writer;

    public KeyedRecordBatch(StreamDescriptor<T> stream)
    {
        _stream = stream;
        _writer = new Utf8JsonWriter(_scratch, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Messages added since the last <see cref="Clear"/>.</summary>
    public int Messages { get; private set; }

    /// <summary>The records built so far, in produce order, with the number of messages each carries.</summary>
    public int Count => _records.Count;

    /// <summary>Serialises <paramref name="message"/> into its key's record; false (and nothing added) when it cannot be serialised.</summary>
    public bool TryAdd(string key, T message)
    {
        _scratch.ResetWrittenCount();
        _writer.Reset(_scratch);
        try
        {
            JsonSerializer.Serialize(_writer, message, _stream.TypeInfo);
            _writer.Flush();
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException or JsonException)
        {
            return false;
        }

        if (!_open.TryGetValue(key, out var index))
        {
            index = _records.Count;
            _records.Add(new Builder(key));
            _open[key] = index;
        }

        var record = _records[index];
        record.Append(_scratch.WrittenSpan);
        if (record.Bytes >= RecordSoftLimitBytes)
        {
            // Full: the key's next message opens a new record, produced after this one.
            _open.Remove(key);
        }

        Messages++;
        return true;
    }

    /// <summary>Record <paramref name="index"/> as a Kafka message, and how many stream messages it carries.</summary>
    public (Message<string?, byte[]?> Message, int Count) Record(int index)
    {
        var record = _records[index];
        return (new Message<string?, byte[]?> { Key = record.Key, Value = record.ToArray() }, record.Count);
    }

    public void Clear()
    {
        _open.Clear();
        _records.Clear();
        Messages = 0;
    }

    private sealed class Builder(string key)
    {
        private readonly ArrayBufferWriter<byte> _bytes = new(1024);

        public string Key { get; } = key;

        public int Count { get; private set; }

        public int Bytes => _bytes.WrittenCount;

        public void Append(ReadOnlySpan<byte> json)
        {
            if (Count > 0)
            {
                _bytes.Write("\n"u8);
            }

            _bytes.Write(json);
            Count++;
        }

        public byte[] ToArray() => _bytes.WrittenSpan.ToArray();
    }
}
