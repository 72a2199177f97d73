using System.Numerics;

namespace Analytics.Detection.Features;

/// <summary>
/// Distinct counting with linear counting over small bitmaps: a 64- or 128-bit map per bucket,
/// OR-ed over the window, estimates up to a few hundred distinct values in 8–16 bytes.
/// Exactness is not needed: rules compare with thresholds well inside the accurate range.
/// </summary>
internal static class Sketch
{
    public static ulong Bit64(uint hash) => 1UL << (int)(hash & 63);

    public static uint Bit32(uint hash) => 1U << (int)(hash & 31);

    /// <summary>Linear-counting estimate of distinct values from a bitmap of <paramref name="bits"/> bits with <paramref name="set"/> bits set.</summary>
    public static float Estimate(int set, int bits)
    {
        if (set == 0)
        {
            return 0;
        }

        var zeros = bits - set;
        // A full map no longer distinguishes larger counts; report the map's ceiling.
        return zeros == 0 ? (float)(bits * Math.Log(bits)) : (float)(-bits * Math.Log((double)zeros / bits));
    }

    public static float Estimate(ulong map) => Estimates64[BitOperations.PopCount(map)];

    public static float Estimate(uint map) => Estimates32[BitOperations.PopCount(map)];

    /// <summary>The estimate for a 96-bit map (the horizons' sketch) with <paramref name="set"/> bits set.</summary>
    public static float Estimate96(int set) => Estimates96[set];

    public static float Estimate(ulong lo, ulong hi) => Estimates128[BitOperations.PopCount(lo) + BitOperations.PopCount(hi)];

    // Every answer of Estimate(set, bits) for the three map sizes, computed once: a window's
    // features take a dozen estimates, each a logarithm, for every entity an event touches.
    private static readonly float[] Estimates32 = Table(32);
    private static readonly float[] Estimates64 = Table(64);
    private static readonly float[] Estimates96 = Table(96);
    private static readonly float[] Estimates128 = Table(128);

    private static float[] Table(int bits)
    {
        var table = new float[bits + 1];
        for (var set = 0; set <= bits; set++)
        {
            table[set] = Estimate(set, bits);
        }

        return table;
    }

    /// <summary>FNV-1a over UTF-16 code units, then a final mix: deterministic across processes, unlike string.GetHashCode.</summary>
    public static uint Hash(ReadOnlySpan<char> s)
    {
        var h = 2166136261u;
        foreach (var c in s)
        {
            h = (h ^ c) * 16777619u;
        }

        return Mix(h);
    }

    public static uint Hash(ReadOnlySpan<char> s, uint seed)
    {
        var h = 2166136261u ^ seed;
        foreach (var c in s)
        {
            h = (h ^ c) * 16777619u;
        }

        return Mix(h);
    }

    public static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x7feb352d;
        h ^= h >> 15;
        h *= 0x846ca68b;
        h ^= h >> 16;
        return h;
    }
}
