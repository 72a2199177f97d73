using System.Net;
using Analytics.Messaging;

namespace Analytics.Detection.Decisions;

/// <summary>Entities exempt from decisions and alerts. Thread-safe: entries can be added at run time.</summary>
internal sealed class Allowlist
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private volatile Entry[] _entries = [];

    public Allowlist(IEnumerable<AllowlistEntry> entries, TimeProvider time)
    {
        _time = time;
        foreach (var e in entries)
        {
            Add(e);
        }
    }

    public int Count => _entries.Length;

    public void Add(AllowlistEntry entry)
    {
        IPNetwork? network = null;
        if (entry.Scope == DecisionScopes.Cidr)
        {
            network = IPNetwork.Parse(entry.Value);
        }
        else if (entry.Scope == DecisionScopes.Ip && IPAddress.TryParse(entry.Value, out var ip))
        {
            network = new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        lock (_gate)
        {
            _entries = [.. _entries, new Entry(entry.Scope, entry.Value, network, entry.Expires, entry.Reason)];
        }
    }

    /// <summary>The entries in force (expired ones left out), as they were added.</summary>
    public IReadOnlyList<AllowlistEntry> Entries()
    {
        var now = _time.GetUtcNow();
        return _entries.Where(e => e.Expires is not { } exp || exp > now)
            .Select(e => new AllowlistEntry { Scope = e.Scope, Value = e.Value, Expires = e.Expires, Reason = e.Reason })
            .ToArray();
    }

    /// <summary>Removes every entry for exactly this scope and value; false when there was none.</summary>
    public bool Remove(string scope, string value)
    {
        lock (_gate)
        {
            var kept = _entries.Where(e => e.Scope != scope || e.Value != value).ToArray();
            if (kept.Length == _entries.Length)
            {
                return false;
            }

            _entries = kept;
            return true;
        }
    }

    /// <summary>True when the entity (scope <c>ip</c>, <c>api_key</c> or <c>subject</c>) is allowlisted and the entry has not expired.</summary>
    public bool Contains(string scope, string value)
    {
        var entries = _entries;
        if (entries.Length == 0)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        IPAddress? ip = null;
        foreach (var e in entries)
        {
            if (e.Expires is { } exp && exp <= now)
            {
                continue;
            }

            if (scope == DecisionScopes.Ip && e.Network is { } net)
            {
                ip ??= IPAddress.TryParse(value, out var parsed) ? parsed : IPAddress.None;
                if (net.Contains(ip))
                {
                    return true;
                }
            }
            else if (e.Scope == scope && e.Value == value)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first unexpired address or range entry that overlaps <paramref name="range"/> (inside it or containing it), as <c>scope value</c>; null when none does.</summary>
    public string? Overlaps(IPNetwork range)
    {
        var now = _time.GetUtcNow();
        foreach (var e in _entries)
        {
            if (e.Network is not { } net || (e.Expires is { } exp && exp <= now))
            {
                continue;
            }

            if (net.BaseAddress.AddressFamily == range.BaseAddress.AddressFamily
                && (range.Contains(net.BaseAddress) || net.Contains(range.BaseAddress)))
            {
                return $"{e.Scope} {e.Value}";
            }
        }

        return null;
    }

    private sealed record Entry(string Scope, string Value, IPNetwork? Network, DateTimeOffset? Expires, string? Reason);
}
