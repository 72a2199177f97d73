using System.Net;
using Analytics.Messaging;
using Analytics.Sidecar.Enforcement;
using BenchmarkDotNet.Attributes;

namespace Analytics.Bench.Sidecar;

/// <summary>Decision lookups on the request path with 100k ranges and 100k addresses in force.</summary>
[MemoryDiagnoser]
public class DecisionStoreBenchmarks
{
    private DecisionStore _store = null!;
    private IPAddress[] _probes = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _store = new DecisionStore(TimeProvider.System);
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 100_000; i++)
        {
            var bytes = new byte[4];
            random.NextBytes(bytes);
            var length = 16 + (i % 17);
            var mask = length == 32 ? uint.MaxValue : ~(uint.MaxValue >> length);
            var value = (uint)IPAddress.NetworkToHostOrder(BitConverter.ToInt32(bytes)) & mask;
            var network = new IPAddress(BitConverter.GetBytes(IPAddress.HostToNetworkOrder((int)value)));
            _store.Apply(Decision(DecisionScopes.Cidr, $"{network}/{length}", now));
            random.NextBytes(bytes);
            _store.Apply(Decision(DecisionScopes.Ip, new IPAddress(bytes).ToString(), now));
        }

        _probes = Enumerable.Range(0, 4096).Select(_ =>
        {
            var b = new byte[4];
            random.NextBytes(b);
            return new IPAddress(b);
        }).ToArray();
    }

    [Benchmark]
    public Decision? CheckIp() => _store.CheckIp(_probes[_next++ & 4095]).Enforced;

    [Benchmark]
    public Decision? CheckPrincipal() => _store.CheckPrincipal(PrincipalKinds.ApiKey, "partner-a").Enforced;

    private static Decision Decision(string scope, string value, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Scope = scope,
        Value = value,
        Action = DecisionActions.Block,
        Created = now,
        Expires = now.AddHours(1),
    };
}
