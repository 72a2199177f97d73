using System.Collections.Concurrent;
using System.Net;
using Analytics.Messaging;

namespace Analytics.Sidecar.Enforcement;

/// <summary>
/// The decisions in force on this sidecar: O(1) lookups by ip, api_key and subject, and CIDR
/// ranges through <see cref="IpPrefixIndex"/>. Expired decisions are ignored at lookup and swept
/// away later. Fed by the decisions stream and the admin API.
/// </summary>
internal sealed class DecisionStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Decision> _ips = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Decision> _apiKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Decision> _subjects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Decision> _cidrs = new(StringComparer.Ordinal);
    private readonly IpPrefixIndex _prefixes = new();
    private readonly ConcurrentDictionary<string, string> _keysById = new(StringComparer.Ordinal);

    private volatile bool _everApplied;

    private IEnumerable<ConcurrentDictionary<string, Decision>> Tables => [_ips, _cidrs, _apiKeys, _subjects];

    /// <summary>Adds or replaces the decision for its <c>scope:value</c>. Returns false for a decision that cannot be indexed.</summary>
    public bool Apply(Decision decision)
    {
        if (!TryNormalize(decision, out var normalized))
        {
            return false;
        }

        _everApplied = true;
        if (normalized.Scope == DecisionScopes.Cidr)
        {
            IPNetwork.TryParse(normalized.Value, out var network);
            _prefixes.Set(network, normalized);
        }

        var table = Table(normalized.Scope);
        if (table.TryGetValue(normalized.Value, out var previous))
        {
            _keysById.TryRemove(previous.Id, out _);
        }

        table[normalized.Value] = normalized;
        _keysById[normalized.Id] = normalized.Key;
        return true;
    }

    /// <summary>Removes the decision stored under <c>scope:value</c> (a tombstone on the stream).</summary>
    public Decision? RemoveByKey(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !DecisionScopes.IsKnown(key[..colon]))
        {
            return null;
        }

        var scope = key[..colon];
        var value = NormalizeValue(scope, key[(colon + 1)..]);
        if (value is null || !Table(scope).TryRemove(value, out var removed))
        {
            return null;
        }

        if (scope == DecisionScopes.Cidr && IPNetwork.TryParse(value, out var network))
        {
            _prefixes.Remove(network);
        }

        _keysById.TryRemove(removed.Id, out _);
        return removed;
    }

    /// <summary>
    /// No decision was ever applied: the request path's checks can stop here. A plain flag, since
    /// ConcurrentDictionary.IsEmpty takes every lock to confirm an empty table.
    /// </summary>
    public bool IsEmpty => !_everApplied;

    public Decision? FindById(string id) =>
        _keysById.TryGetValue(id, out var key) && Get(key) is { } d && d.Id == id ? d : null;

    /// <summary>The verdict for a client IP: exact match and every CIDR range containing it.</summary>
    public EnforcementVerdict CheckIp(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var verdict = new EnforcementVerdict(time.GetUtcNow());
        if (!_ips.IsEmpty && _ips.TryGetValue(address.ToString(), out var exact))
        {
            verdict.Consider(exact);
        }

        if (_prefixes.Count > 0)
        {
            _prefixes.ForEachMatch(address, ref verdict, static (ref EnforcementVerdict v, Decision d) => v.Consider(d));
        }

        return verdict;
    }

    /// <summary>The verdict for an authenticated principal (API key id or JWT subject).</summary>
    public EnforcementVerdict CheckPrincipal(string kind, string id)
    {
        var verdict = new EnforcementVerdict(time.GetUtcNow());
        var table = kind == PrincipalKinds.ApiKey ? _apiKeys : kind == PrincipalKinds.Jwt ? _subjects : null;
        if (table is { IsEmpty: false } && table.TryGetValue(id, out var decision))
        {
            verdict.Consider(decision);
        }

        return verdict;
    }

    /// <summary>Decisions not yet expired.</summary>
    public List<Decision> Active()
    {
        var now = time.GetUtcNow();
        var list = new List<Decision>();
        foreach (var table in Tables)
        {
            foreach (var decision in table.Values)
            {
                if (!decision.IsExpired(now))
                {
                    list.Add(decision);
                }
            }
        }

        list.Sort((a, b) => b.Created.CompareTo(a.Created));
        return list;
    }

    public int ActiveCount()
    {
        var now = time.GetUtcNow();
        return Tables.Sum(table => table.Values.Count(d => !d.IsExpired(now)));
    }

    /// <summary>Drops expired decisions from memory; lookups already ignore them.</summary>
    public int SweepExpired()
    {
        var now = time.GetUtcNow();
        var removed = 0;
        foreach (var table in Tables)
        {
            foreach (var (_, decision) in table)
            {
                if (decision.IsExpired(now) && RemoveByKey(decision.Key) is not null)
                {
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>Canonical form of a decision's value (IPs and ranges in canonical text), or false when it is not valid for its scope.</summary>
    public static bool TryNormalize(Decision decision, out Decision normalized)
    {
        normalized = decision;
        if (!DecisionScopes.IsKnown(decision.Scope) || !DecisionActions.IsKnown(decision.Action) || string.IsNullOrEmpty(decision.Id))
        {
            return false;
        }

        var value = NormalizeValue(decision.Scope, decision.Value);
        if (value is null)
        {
            return false;
        }

        if (value != decision.Value)
        {
            normalized = decision with { Value = value };
        }

        return true;
    }

    /// <summary>The canonical value for a scope, or null when invalid.</summary>
    public static string? NormalizeValue(string scope, string value)
    {
        switch (scope)
        {
            case DecisionScopes.Ip:
                if (!IPAddress.TryParse(value, out var ip))
                {
                    return null;
                }

                return (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
            case DecisionScopes.Cidr:
                // Host bits set (10.0.0.1/8) is most likely a typo for a single address or another
                // range: refuse it rather than silently widening a block to 16 million addresses.
                var slash = value.IndexOf('/', StringComparison.Ordinal);
                return slash > 0
                       && IPNetwork.TryParse(value, out var network)
                       && IPAddress.TryParse(value.AsSpan(0, slash), out var stated)
                       && stated.Equals(network.BaseAddress)
                    ? FoldMapped(network).ToString()
                    : null;
            default:
                return string.IsNullOrWhiteSpace(value) ? null : value;
        }
    }

    /// <summary>
    /// An IPv4-mapped range (<c>::ffff:127.0.0.0/120</c>) as the IPv4 range it means
    /// (<c>127.0.0.0/24</c>): client addresses are folded to IPv4 before lookup, so the mapped
    /// spelling would otherwise be accepted and never match.
    /// </summary>
    private static IPNetwork FoldMapped(IPNetwork network) =>
        network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96)
            : network;

    private Decision? Get(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && DecisionScopes.IsKnown(key[..colon]) && Table(key[..colon]).TryGetValue(key[(colon + 1)..], out var d) ? d : null;
    }

    private ConcurrentDictionary<string, Decision> Table(string scope) => scope switch
    {
        DecisionScopes.Ip => _ips,
        DecisionScopes.Cidr => _cidrs,
        DecisionScopes.ApiKey => _apiKeys,
        _ => _subjects,
    };
}

/// <summary>What the decisions say about one entity: allowlisted, blocked, throttled, and simulated matches.</summary>
internal struct EnforcementVerdict(DateTimeOffset now)
{
    public Decision? Allow { get; private set; }
    public Decision? Block { get; private set; }
    public Decision? Throttle { get; private set; }
    public Decision? Simulated { get; private set; }

    /// <summary>The decision that ends the request, unless an allowlist entry wins.</summary>
    public readonly Decision? Enforced => Allow is null ? Block : null;

    public void Consider(Decision decision)
    {
        if (decision.IsExpired(now))
        {
            return;
        }

        if (decision.Simulated)
        {
            Simulated ??= decision;
            return;
        }

        switch (decision.Action)
        {
            case DecisionActions.Allow:
                Allow ??= decision;
                break;
            case DecisionActions.Block:
                Block ??= decision;
                break;
            case DecisionActions.Throttle when Throttle is null || (decision.Rate ?? 0) < (Throttle.Rate ?? 0):
                Throttle = decision;
                break;
        }
    }
}
