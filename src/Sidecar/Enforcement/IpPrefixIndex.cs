using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Analytics.Messaging;

namespace Analytics.Sidecar.Enforcement;

/// <summary>
/// CIDR decisions indexed by prefix length: one hash map per length in use, so a lookup costs at
/// most one probe per distinct length (typically a handful), however many ranges are stored.
/// </summary>
internal sealed class IpPrefixIndex
{
    private readonly ConcurrentDictionary<UInt128, Decision>[] _v4 = NewTables(33);
    private readonly ConcurrentDictionary<UInt128, Decision>[] _v6 = NewTables(129);
    private readonly int[] _v4Counts = new int[33];
    private readonly int[] _v6Counts = new int[129];
    private readonly Lock _writeGate = new();

    public int Count { get; private set; }

    public static bool TryParse(string cidr, out IPNetwork network) => IPNetwork.TryParse(cidr, out network);

    public void Set(IPNetwork network, Decision decision)
    {
        var (tables, counts, key) = Locate(network.BaseAddress, network.PrefixLength);
        lock (_writeGate)
        {
            if (tables[network.PrefixLength].TryAdd(key, decision))
            {
                counts[network.PrefixLength]++;
                Count++;
            }
            else
            {
                tables[network.PrefixLength][key] = decision;
            }
        }
    }

    public void Remove(IPNetwork network)
    {
        var (tables, counts, key) = Locate(network.BaseAddress, network.PrefixLength);
        lock (_writeGate)
        {
            if (tables[network.PrefixLength].TryRemove(key, out _))
            {
                counts[network.PrefixLength]--;
                Count--;
            }
        }
    }

    /// <summary>Calls <paramref name="visit"/> with every range containing <paramref name="address"/>.</summary>
    public void ForEachMatch<TState>(IPAddress address, ref TState state, MatchVisitor<TState> visit)
    {
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        var tables = v6 ? _v6 : _v4;
        var counts = v6 ? _v6Counts : _v4Counts;
        var bits = v6 ? 128 : 32;
        var value = ToUInt128(address);
        for (var length = 0; length <= bits; length++)
        {
            if (Volatile.Read(ref counts[length]) == 0)
            {
                continue;
            }

            if (tables[length].TryGetValue(Mask(value, length, bits), out var decision))
            {
                visit(ref state, decision);
            }
        }
    }

    public delegate void MatchVisitor<TState>(ref TState state, Decision decision);

    private (ConcurrentDictionary<UInt128, Decision>[] Tables, int[] Counts, UInt128 Key) Locate(IPAddress baseAddress, int prefixLength)
    {
        var v6 = baseAddress.AddressFamily == AddressFamily.InterNetworkV6;
        var bits = v6 ? 128 : 32;
        return (v6 ? _v6 : _v4, v6 ? _v6Counts : _v4Counts, Mask(ToUInt128(baseAddress), prefixLength, bits));
    }

    private static UInt128 Mask(UInt128 value, int length, int bits)
    {
        if (length == 0)
        {
            return UInt128.Zero;
        }

        var hostBits = bits - length;
        return hostBits == 0 ? value : value >> hostBits << hostBits;
    }

    private static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        UInt128 value = 0;
        for (var i = 0; i < written; i++)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }

    private static ConcurrentDictionary<UInt128, Decision>[] NewTables(int count)
    {
        var tables = new ConcurrentDictionary<UInt128, Decision>[count];
        for (var i = 0; i < count; i++)
        {
            tables[i] = new ConcurrentDictionary<UInt128, Decision>();
        }

        return tables;
    }
}
