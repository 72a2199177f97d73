using System.Net;
using System.Net.Sockets;

namespace Analytics.Sidecar.Pipeline;

/// <summary>How the request path reads a client address: once, folded, and keyed for aggregation.</summary>
internal static class ClientAddresses
{
    /// <summary>The peer (or trusted forwarded) address with IPv4-mapped IPv6 folded to IPv4.</summary>
    public static IPAddress Normalize(IPAddress? address)
    {
        var ip = address ?? IPAddress.None;
        return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
    }

    /// <summary>
    /// The key clients are counted by when they are anonymous: the address for IPv4, the /64
    /// for IPv6, where one subscriber commonly holds the whole prefix and rotates through it.
    /// </summary>
    public static string AggregationKey(IPAddress address, string text)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return text;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }
}
