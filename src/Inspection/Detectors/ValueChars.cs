namespace Analytics.Inspection.Detectors;

/// <summary>
/// The set of ASCII characters a value contains (plus whether it has any other), taken in one
/// pass per normalised value, so each detector can skip a value that lacks every character its
/// rules need, with a bit test instead of its own scan.
/// </summary>
internal readonly struct ValueChars
{
    private readonly ulong _low;
    private readonly ulong _high;
    private readonly bool _nonAscii;

    private ValueChars(ulong low, ulong high, bool nonAscii)
    {
        _low = low;
        _high = high;
        _nonAscii = nonAscii;
    }

    public bool HasNonAscii => _nonAscii;

    public static ValueChars Of(ReadOnlySpan<char> s)
    {
        ulong low = 0;
        ulong high = 0;
        var nonAscii = false;
        foreach (var c in s)
        {
            if (c < 64)
            {
                low |= 1UL << c;
            }
            else if (c < 128)
            {
                high |= 1UL << (c - 64);
            }
            else
            {
                nonAscii = true;
            }
        }

        return new ValueChars(low, high, nonAscii);
    }

    public bool Has(char c) => c < 64 ? ((_low >> c) & 1) != 0 : c < 128 && ((_high >> (c - 64)) & 1) != 0;

    public bool Has(char a, char b) => Has(a) || Has(b);

    /// <summary>True when the value contains at least one of <paramref name="set"/>'s ASCII characters.</summary>
    public bool HasAny(in ValueChars set) => (_low & set._low) != 0 || (_high & set._high) != 0;

    /// <summary>True when every character of the value is an ASCII character of <paramref name="set"/>.</summary>
    public bool OnlyFrom(in ValueChars set) => !_nonAscii && (_low & ~set._low) == 0 && (_high & ~set._high) == 0;
}
