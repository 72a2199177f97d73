using System.Text;
using System.Text.Unicode;

namespace Analytics.Messaging;

/// <summary>
/// Remembers the strings of recently read UTF-8 values (client address, user agent, route, service,
/// login hash...), so an event's repeated values cost a hash and a byte compare instead of a
/// transcoded allocation each time, and the analyzer's dictionaries, keyed by those very strings,
/// then find their keys by reference. Direct-mapped and bounded; one per thread.
/// </summary>
internal sealed class Utf8StringCache
{
    // Longer values (rare) are not worth remembering.
    private const int MaxLength = 256;
    private const int Size = 8192;

    [ThreadStatic]
    private static Utf8StringCache? _current;

    private readonly Entry[] _entries = new Entry[Size];

    /// <summary>This thread's cache.</summary>
    public static Utf8StringCache Current => _current ??= new Utf8StringCache();

    /// <summary>
    /// The string for <paramref name="utf8"/> (unescaped JSON string content), or null when it is not
    /// valid UTF-8 (the caller's decoder then decides, and reports it).
    /// </summary>
    public string? Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength || !Utf8.IsValid(utf8))
        {
            return null;
        }

        var hash = Hash(utf8);
        ref var entry = ref _entries[hash & (Size - 1)];
        if (entry.Hash == hash && entry.Utf8 is { } known && known.AsSpan().SequenceEqual(utf8))
        {
            return entry.Value;
        }

        var value = Encoding.UTF8.GetString(utf8);
        entry = new Entry(hash, utf8.ToArray(), value);
        return value;
    }

    // FNV-1a over the bytes, 8 at a time: the values are short and this runs once per field.
    private static int Hash(ReadOnlySpan<byte> s)
    {
        var h = 14695981039346656037UL;
        while (s.Length >= 8)
        {
            h = (h ^ BitConverter.ToUInt64(s)) * 1099511628211UL;
            s = s[8..];
        }

        foreach (var b in s)
        {
            h = (h ^ b) * 1099511628211UL;
        }

        return (int)(h ^ (h >> 32));
    }

    private readonly record struct Entry(int Hash, byte[]? Utf8, string? Value);
}
