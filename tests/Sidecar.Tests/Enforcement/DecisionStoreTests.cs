using System.Net;
using Analytics.Messaging;
using Analytics.Sidecar.Enforcement;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Sidecar.Tests.Enforcement;

public sealed class DecisionStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    private Decision D(string scope, string value, string action = DecisionActions.Block, TimeSpan? ttl = null, bool simulated = false) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Scope = scope,
        Value = value,
        Action = action,
        Rate = action == DecisionActions.Throttle ? 2 : null,
        Simulated = simulated,
        Created = _time.GetUtcNow(),
        Expires = _time.GetUtcNow() + (ttl ?? TimeSpan.FromMinutes(5)),
    };

    /// <summary>
    /// Found by fuzzing (bench/fuzz.sh decisions): a stream message {"scope":"cidr","value":null,...}
    /// threw NullReferenceException out of Apply, which ends the decisions feed.
    /// </summary>
    [Theory]
    [InlineData(DecisionScopes.Cidr)]
    [InlineData(DecisionScopes.Ip)]
    [InlineData(DecisionScopes.ApiKey)]
    [InlineData(DecisionScopes.Subject)]
    public void A_decision_whose_value_is_null_is_refused_not_thrown(string scope)
    {
        var store = new DecisionStore(_time);
        var decision = MessageSchema.Deserialize(
            System.Text.Encoding.UTF8.GetBytes($$"""{"id":"d1","scope":"{{scope}}","value":null,"action":"block"}"""), Streams.Decisions);
        Assert.False(store.Apply(decision));
        Assert.Null(store.CheckIp(IPAddress.Parse("10.1.2.3")).Enforced);
    }

    [Fact]
    public void Exact_ip_match_blocks_and_normalizes_mapped_addresses()
    {
        var store = new DecisionStore(_time);
        var decision = D(DecisionScopes.Ip, "203.0.113.7");
        Assert.True(store.Apply(decision));

        Assert.Equal(decision.Id, store.CheckIp(IPAddress.Parse("203.0.113.7")).Enforced?.Id);
        Assert.Equal(decision.Id, store.CheckIp(IPAddress.Parse("::ffff:203.0.113.7")).Enforced?.Id);
        Assert.Null(store.CheckIp(IPAddress.Parse("203.0.113.8")).Enforced);
    }

    [Fact]
    public void Ipv6_ranges_match_only_inside()
    {
        var store = new DecisionStore(_time);
        store.Apply(D(DecisionScopes.Cidr, "2001:db8:abcd::/48"));

        Assert.NotNull(store.CheckIp(IPAddress.Parse("2001:db8:abcd:12::1")).Enforced);
        Assert.Null(store.CheckIp(IPAddress.Parse("2001:db8:abce::1")).Enforced);
        Assert.Null(store.CheckIp(IPAddress.Parse("10.0.0.1")).Enforced);
    }

    [Fact]
    public void Hundred_thousand_ranges_still_match_exactly()
    {
        var store = new DecisionStore(_time);
        var random = new Random(42);
        var blocked = new List<IPAddress>();
        for (var i = 0; i < 100_000; i++)
        {
            var bytes = new byte[4];
            random.NextBytes(bytes);
            var length = 16 + (i % 17);
            var baseAddress = Mask(new IPAddress(bytes), length);
            Assert.True(store.Apply(D(DecisionScopes.Cidr, $"{baseAddress}/{length}")), $"{baseAddress}/{length}");
            if (i % 1000 == 0)
            {
                blocked.Add(new IPAddress(bytes));
            }
        }

        Assert.All(blocked, ip => Assert.NotNull(store.CheckIp(ip).Enforced));
        Assert.Null(store.CheckIp(IPAddress.Parse("::1")).Enforced);
    }

    [Fact]
    public void Allow_wins_over_block_from_a_wider_range()
    {
        var store = new DecisionStore(_time);
        store.Apply(D(DecisionScopes.Cidr, "198.51.100.0/24"));
        store.Apply(D(DecisionScopes.Ip, "198.51.100.10", DecisionActions.Allow));

        var verdict = store.CheckIp(IPAddress.Parse("198.51.100.10"));
        Assert.NotNull(verdict.Block);
        Assert.NotNull(verdict.Allow);
        Assert.Null(verdict.Enforced);
    }

    [Fact]
    public void Expired_decisions_are_ignored_then_swept()
    {
        var store = new DecisionStore(_time);
        store.Apply(D(DecisionScopes.ApiKey, "k1", ttl: TimeSpan.FromSeconds(10)));
        Assert.NotNull(store.CheckPrincipal(PrincipalKinds.ApiKey, "k1").Enforced);

        _time.Advance(TimeSpan.FromSeconds(11));

        Assert.Null(store.CheckPrincipal(PrincipalKinds.ApiKey, "k1").Enforced);
        Assert.Equal(0, store.ActiveCount());
        Assert.Equal(1, store.SweepExpired());
    }

    [Fact]
    public void Simulated_decisions_are_reported_but_never_enforced()
    {
        var store = new DecisionStore(_time);
        store.Apply(D(DecisionScopes.Subject, "alice", simulated: true));

        var verdict = store.CheckPrincipal(PrincipalKinds.Jwt, "alice");
        Assert.NotNull(verdict.Simulated);
        Assert.Null(verdict.Enforced);
    }

    [Fact]
    public void Throttle_takes_the_lowest_rate_and_is_not_a_block()
    {
        var store = new DecisionStore(_time);
        store.Apply(D(DecisionScopes.Cidr, "192.0.2.0/24", DecisionActions.Throttle) with { Rate = 5 });
        store.Apply(D(DecisionScopes.Ip, "192.0.2.1", DecisionActions.Throttle) with { Rate = 1 });

        var verdict = store.CheckIp(IPAddress.Parse("192.0.2.1"));
        Assert.Null(verdict.Enforced);
        Assert.Equal(1, verdict.Throttle?.Rate);
    }

    [Fact]
    public void Tombstone_key_and_id_lookups_remove_the_decision()
    {
        var store = new DecisionStore(_time);
        var decision = D(DecisionScopes.Cidr, "10.20.0.0/16");
        store.Apply(decision);
        Assert.Equal(decision.Id, store.FindById(decision.Id)?.Id);

        Assert.NotNull(store.RemoveByKey("cidr:10.20.0.0/16"));

        Assert.Null(store.FindById(decision.Id));
        Assert.Null(store.CheckIp(IPAddress.Parse("10.20.1.1")).Enforced);
    }

    [Theory]
    [InlineData("ip", "300.1.1.1")]
    [InlineData("cidr", "10.0.0.1/8")]
    [InlineData("cidr", "10.0.0.0")]
    [InlineData("subject", "")]
    [InlineData("country", "FR")]
    public void Invalid_decisions_are_refused(string scope, string value)
    {
        var store = new DecisionStore(_time);
        Assert.False(store.Apply(D(scope, value)));
    }

    private static IPAddress Mask(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < 32; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}
