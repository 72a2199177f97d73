using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Analytics.Detection.Features;

/// <summary>Counters of one 10-second bucket. 96 bytes: ushort counters saturate instead of wrapping.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ShortBucket
{
    public int Index;
    public int Count;
    public ushort S2xx, S401, S403, S404, S429, S5xx;
    public ushort AuthFail, LoginOk, Findings, Undocumented, Sensitive, Sequential, UaChanges, CategoryMask;
    public float BytesIn, BytesOut, LatencyMs;
    public ulong Paths;
    public ulong IdsLo, IdsHi;
    public ulong Logins;
    public ulong Sources;
    public uint Templates;
    public uint Agents;
}

/// <summary>Counters of one 1-minute bucket of the 10-minute window (for low-and-slow attacks). 32 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LongBucket
{
    public int Index;
    public int Count;
    public ushort AuthFail, LoginOk, Errors4xx, Findings, Sensitive, Sequential, Undocumented, S404;
    public ulong Logins;
}

[InlineArray(FeatureWindows.ShortBuckets)]
internal struct ShortRing
{
    private ShortBucket _element;
}

[InlineArray(FeatureWindows.LongBuckets)]
internal struct LongRing
{
    private LongBucket _element;
}

/// <summary>The fixed window layout: 6 × 10 s (one minute) and 10 × 1 min (ten minutes).</summary>
internal static class FeatureWindows
{
    public const int ShortBuckets = 6;
    public const int LongBuckets = 10;
    public static readonly long ShortBucketTicks = TimeSpan.FromSeconds(10).Ticks;
    public static readonly long LongBucketTicks = TimeSpan.FromMinutes(1).Ticks;
    // Bucket numbers count from 2000-01-01 so they fit an int for centuries.
    public static readonly long EpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    public static int ShortIndex(long ticks) => (int)Math.Max(1, (ticks - EpochTicks) / ShortBucketTicks);

    public static int LongIndex(long ticks) => (int)Math.Max(1, (ticks - EpochTicks) / LongBucketTicks);

    public static ushort Inc(ushort v) => v == ushort.MaxValue ? v : (ushort)(v + 1);

    public static ushort Add(ushort a, ushort b) => (ushort)Math.Min(ushort.MaxValue, a + b);
}
