using System.Text;

namespace Analytics.Fuzz.Targets;

/// <summary>Turns fuzz bytes into the strings the parsers receive.</summary>
internal static class FuzzText
{
    /// <summary>
    /// The first byte picks how the rest reaches .NET as text: UTF-8 (with replacement, as Kestrel
    /// decodes paths) or Latin-1 (as Kestrel reads header values), so both spellings get explored.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return "";
        }

        return (data[0] & 1) == 0 ? Encoding.UTF8.GetString(data[1..]) : Encoding.Latin1.GetString(data[1..]);
    }
}
