namespace Analytics.Inspection;

/// <summary>
/// The last few values scanned in one body, by location, with their normalised form. Arrays of
/// records repeat their keys and often their values; a value scanned again at the same location
/// cannot add a finding (a rule counts once, at its first location, and no detector reads the
/// findings so far), so the engine skips it and only reuses the normalised text.
/// </summary>
internal sealed class RecentValues
{
    private const int Size = 8;
    private readonly Entry[] _entries = new Entry[Size];
    private int _next;

    public bool TryGet(in ValueLocation location, string raw, out string normalized)
    {
        foreach (var e in _entries)
        {
            if (e.Raw is not null && e.Location.Kind == location.Kind && string.Equals(e.Raw, raw, StringComparison.Ordinal)
                && string.Equals(e.Location.Name, location.Name, StringComparison.Ordinal))
            {
                normalized = e.Normalized;
                return true;
            }
        }

        normalized = "";
        return false;
    }

    /// <summary>
    /// The same lookup by a JSON string's raw UTF-8 bytes (unescaped, ASCII), so a repeated value
    /// is recognised before it is decoded into a new string.
    /// </summary>
    public bool TryGet(in ValueLocation location, ReadOnlySpan<byte> utf8, out string normalized)
    {
        foreach (var e in _entries)
        {
            if (e.Raw is not null && e.Location.Kind == location.Kind && e.Raw.Length == utf8.Length && System.Text.Ascii.Equals(utf8, e.Raw)
                && string.Equals(e.Location.Name, location.Name, StringComparison.Ordinal))
            {
                normalized = e.Normalized;
                return true;
            }
        }

        normalized = "";
        return false;
    }

    public void Add(in ValueLocation location, string raw, string normalized)
    {
        _entries[_next] = new Entry(location, raw, normalized);
        _next = (_next + 1) % Size;
    }

    private readonly record struct Entry(ValueLocation Location, string? Raw, string Normalized);
}
