using System.Net;
using System.Net.Sockets;

namespace Analytics.Sidecar.Pipeline;

/// <summary>How the request path reads a client address: once, folded, and keyed for aggregation.</summary>
internal static class ClientAddresses
{
    /// <summary>The IPv6 aggregation prefix unless <c>Sidecar:Proxy:Ipv6AggregationPrefix</c> says otherwise.</summary>
    public const int DefaultIpv6Prefix = 64;

    /// <summary>The peer (or trusted forwarded) address with IPv4-mapped IPv6 folded to IPv4.</summary>
    public static IPAddress Normalize(IPAddress? address)
    {
        var ip = address ?? IPAddress.None;
        return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
    }

    /// <summary>
    /// The key clients are counted by: the address for IPv4, the range of
    /// <paramref name="ipv6Prefix"/> bits (a /64 by default) for IPv6, where one subscriber
    /// commonly holds the whole prefix and rotates through it. <c>2001:db8:1:2::/64</c>.
    /// </summary>
    public static string AggregationKey(IPAddress address, string text, int ipv6Prefix = DefaultIpv6Prefix)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || ipv6Prefix >= 128)
        {
            return text;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var whole = ipv6Prefix / 8;
        var rest = ipv6Prefix % 8;
        if (rest != 0)
        {
            bytes[whole] &= (byte)(0xFF << (8 - rest));
            whole++;
        }

        bytes[whole..].Clear();
        return new IPAddress(bytes) + "/" + ipv6Prefix.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
