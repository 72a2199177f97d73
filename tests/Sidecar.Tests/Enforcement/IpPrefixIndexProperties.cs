using System.Net;
using System.Net.Sockets;
using Analytics.Messaging;
using Analytics.Sidecar.Enforcement;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Sidecar.Tests.Enforcement;

/// <summary>
/// The CIDR matcher against a naive reference (compare the first n bits, one at a time) on
/// random ranges and addresses: IPv4, IPv6 and IPv4-mapped IPv6. Bytes come mostly from a small
/// set so that ranges overlap and addresses fall inside them often.
/// </summary>
public sealed class IpPrefixIndexProperties
{
    private static readonly Gen<byte> Octet = Gen.Frequency<byte>([(3, Gen.OneOf<byte>([0, 1, 10, 127, 128, 255])), (1, Gen.Byte)]);

    private static readonly Gen<IPAddress> V4 = Octet.Array[4].Select(b => new IPAddress(b));

    // Global-looking IPv6: a non-zero first byte keeps these ranges out of ::ffff:0:0/96, so the
    // mapped forms below are the only IPv6 spellings of an IPv4 address.
    private static readonly Gen<IPAddress> V6 = Octet.Array[16].Select(b =>
    {
        b[0] = b[0] == 0 ? (byte)0x20 : b[0];
        return new IPAddress(b);
    });

    private static readonly Gen<IPAddress> Mapped = V4.Select(a => a.MapToIPv6());

    private static readonly Gen<IPAddress> Address = Gen.OneOf<IPAddress>([V4, V6, Mapped]);

    private static readonly Gen<IPNetwork> Range =
        from address in Address
        from length in Gen.Int[0, 128]
        select Network(address, address.AddressFamily == AddressFamily.InterNetwork ? length % 33
            : address.IsIPv4MappedToIPv6 ? 96 + (length % 33)
            : 8 + (length % 121));

    [Fact]
    public void Index_matches_exactly_the_ranges_that_contain_the_address() =>
        Gen.Select(Range.Array[1, 12], Address.Array[1, 12]).Sample((ranges, probes) =>
        {
            var index = new IpPrefixIndex();
            var stored = new Dictionary<IPNetwork, string>();
            for (var i = 0; i < ranges.Length; i++)
            {
                var id = "d" + i;
                index.Set(ranges[i], new Decision { Id = id, Scope = DecisionScopes.Cidr, Value = ranges[i].ToString() });
                stored[ranges[i]] = id; // same range again replaces it
            }

            foreach (var probe in probes)
            {
                var found = new List<string>();
                index.ForEachMatch(probe, ref found, static (ref List<string> f, Decision d) => f.Add(d.Id));
                var expected = stored.Where(s => NaiveContains(s.Key.BaseAddress, s.Key.PrefixLength, probe)).Select(s => s.Value);
                Assert.Equal(expected.Order(), found.Order());
            }
        }, iter: 3_000);

    /// <summary>
    /// Through the decision store, an IPv4 address and its IPv4-mapped IPv6 spelling are one
    /// client, for addresses and for ranges alike (::ffff:127.0.0.0/120 is 127.0.0.0/24).
    /// </summary>
    [Fact]
    public void Store_treats_mapped_and_plain_IPv4_as_one_client() =>
        Gen.Select(Range.Array[1, 8], Address.Array[1, 8]).Sample((ranges, probes) =>
        {
            var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
            var store = new DecisionStore(time);
            foreach (var (range, i) in ranges.Select((r, i) => (r, i)))
            {
                Assert.True(store.Apply(new Decision
                {
                    Id = "d" + i, Scope = DecisionScopes.Cidr, Value = range.ToString(), Action = DecisionActions.Block,
                    Expires = time.GetUtcNow().AddHours(1),
                }));
            }

            foreach (var probe in probes)
            {
                var expected = ranges.Any(r => NaiveContains(AsV6(r.BaseAddress), AsV6Length(r), AsV6(probe)));
                Assert.Equal(expected, store.CheckIp(probe).Enforced is not null);
            }
        }, iter: 3_000);

    private static IPNetwork Network(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), length);
    }

    private static bool NaiveContains(IPAddress network, int length, IPAddress address)
    {
        if (network.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        var n = network.GetAddressBytes();
        var a = address.GetAddressBytes();
        for (var bit = 0; bit < length; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((n[bit / 8] & mask) != (a[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private static IPAddress AsV6(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6() : address;

    private static int AsV6Length(IPNetwork network) =>
        network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 96 + network.PrefixLength : network.PrefixLength;
}
