using System.Buffers;
using System.Text;

namespace Analytics.Inspection.Detectors;

/// <summary>
/// "Contains any of these needles", case-insensitive, for the detectors' marker lists. A
/// case-insensitive <see cref="SearchValues{T}"/> of dozens of strings was measured at about
/// 20 ns a character (1 µs for the sensitive-file list over a 40-character Referer). Here each
/// position's first three characters are hashed into a small bit table of the needles' first
/// three: almost every position is rejected with one lookup, and only candidates are compared.
/// Non-ASCII values are left to SearchValues, whose case-insensitivity is Unicode's.
/// </summary>
internal sealed class NeedleSet
{
    private const int FilterBits = 13;

    private readonly SearchValues<string> _unicode;
    private readonly ulong[] _filter = new ulong[(1 << FilterBits) / 64];
    private readonly int[] _keys;
    private readonly string[] _needles;

    public NeedleSet(string[] needles)
    {
        _unicode = SearchValues.Create(needles, StringComparison.OrdinalIgnoreCase);
        _needles = [.. needles];
        _keys = new int[needles.Length];
        for (var i = 0; i < needles.Length; i++)
        {
            var n = needles[i];
            if (n.Length < 3 || !Ascii.IsValid(n))
            {
                throw new ArgumentException($"'{n}': needles are ASCII and at least three characters long.", nameof(needles));
            }

            _keys[i] = Key(n[0], n[1], n[2]);
            var slot = Slot(_keys[i]);
            _filter[slot >> 6] |= 1UL << (slot & 63);
        }
    }

    public bool IsIn(ReadOnlySpan<char> s)
    {
        if (!Ascii.IsValid(s))
        {
            return s.IndexOfAny(_unicode) >= 0;
        }

        if (s.Length < 3)
        {
            return false;
        }

        var filter = _filter;
        var key = Key('\0', s[0], s[1]);
        for (var i = 0; i + 2 < s.Length; i++)
        {
            // Roll the three-character window by one: drop the oldest character, add the next.
            key = (key >> 7) | (Fold(s[i + 2]) << 14);
            var slot = Slot(key);
            if ((filter[slot >> 6] & (1UL << (slot & 63))) == 0)
            {
                continue;
            }

            for (var k = 0; k < _keys.Length; k++)
            {
                if (_keys[k] == key && s[i..].StartsWith(_needles[k], StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Three ASCII characters, letters folded to lower case, as one number.</summary>
    private static int Key(char a, char b, char c) => Fold(a) | (Fold(b) << 7) | (Fold(c) << 14);

    private static int Slot(int key) => (int)(((uint)key * 2654435761u) >> (32 - FilterBits));

    private static int Fold(char c) => (uint)(c - 'A') <= 'Z' - 'A' ? c | 0x20 : c;
}
