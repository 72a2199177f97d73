using System.Net;
using System.Net.Sockets;

namespace Analytics.Detection.Features;

/// <summary>Maps a client address to the range it aggregates into (<c>a.b.c.0/24</c>, <c>2001:db8:1:2::/64</c>), remembering recent answers.</summary>
internal sealed class AddressPrefix(int ipv4Prefix, int ipv6Prefix, int capacity)
{
    private readonly Dictionary<string, string?> _cache = new(StringComparer.Ordinal);

    /// <summary>The range key, or null when the client is not an IP address.</summary>
    public string? Of(string clientIp)
    {
        if (_cache.TryGetValue(clientIp, out var key))
        {
            return key;
        }

        if (_cache.Count >= capacity)
        {
            _cache.Clear();
        }

        key = Compute(clientIp, ipv4Prefix, ipv6Prefix);
        _cache[clientIp] = key;
        return key;
    }

    public static string? Compute(string clientIp, int ipv4Prefix, int ipv6Prefix)
    {
        if (!IPAddress.TryParse(clientIp, out var ip))
        {
            return null;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        var length = ip.AddressFamily == AddressFamily.InterNetwork ? ipv4Prefix : ipv6Prefix;
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out var written);
        bytes = bytes[..written];
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(length - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return $"{new IPAddress(bytes)}/{length}";
    }
}
