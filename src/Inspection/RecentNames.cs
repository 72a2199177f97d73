using System.Text;
using System.Text.Json;

namespace Analytics.Inspection;

/// <summary>
/// The last few JSON property names of one body as strings, found again by their UTF-8 bytes:
/// arrays of records repeat their keys, and decoding each occurrence into a new string cost an
/// allocation per key. The same name also comes back as the same string, which lets the value
/// and model caches compare references.
/// </summary>
internal sealed class RecentNames
{
    private const int Size = 8;
    private readonly string?[] _names = new string?[Size];
    private int _next;

    public string Get(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var utf8 = reader.ValueSpan;
            foreach (var name in _names)
            {
                if (name is not null && name.Length == utf8.Length && Ascii.Equals(utf8, name))
                {
                    return name;
                }
            }
        }

        var decoded = reader.GetString() ?? "";
        _names[_next] = decoded;
        _next = (_next + 1) % Size;
        return decoded;
    }
}
