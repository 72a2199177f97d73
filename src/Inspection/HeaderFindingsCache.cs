namespace Analytics.Inspection;

/// <summary>
/// The rules a header value produced, remembered across requests: clients send the same
/// User-Agent and Referer again and again, and what a value yields depends only on the value
/// and the header it came in. Direct-mapped (one slot per hash, the newest wins) so it stays
/// bounded and needs no lock: a slot holds an immutable entry and is replaced whole.
/// </summary>
internal sealed class HeaderFindingsCache
{
    /// <summary>Longer values are scanned every time, which bounds the memory to a few hundred KB.</summary>
    public const int MaxValueLength = 512;

    private const int Slots = 1024;
    private readonly Entry?[] _slots = new Entry?[Slots];

    public Rule[]? Get(string header, string value)
    {
        var e = Volatile.Read(ref _slots[Slot(header, value)]);
        return e is not null && string.Equals(e.Value, value, StringComparison.Ordinal) && string.Equals(e.Header, header, StringComparison.Ordinal) ? e.Rules : null;
    }

    public void Set(string header, string value, Rule[] rules) => Volatile.Write(ref _slots[Slot(header, value)], new Entry(header, value, rules));

    // string hash codes are randomised per process, so an attacker cannot aim values at one slot.
    private static int Slot(string header, string value) => (int)((uint)HashCode.Combine(header, value) % Slots);

    private sealed record Entry(string Header, string Value, Rule[] Rules);
}
