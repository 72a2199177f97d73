using System.Buffers;
using System.Runtime.InteropServices;
using Analytics.Messaging;

namespace Analytics.Detection.Features;

/// <summary>The entities an event touched, with their state after it was added.</summary>
internal readonly record struct ObservedEntities(
    EntityState? Ip, EntityState? ApiKey, EntityState? Subject, EntityState? Route,
    EntityState? Prefix = null, EntityState? LoginTarget = null, EntityState? Fingerprint = null)
{
    public EntityState? Get(EntityScope scope) => scope switch
    {
        EntityScope.Ip => Ip,
        EntityScope.ApiKey => ApiKey,
        EntityScope.Subject => Subject,
        EntityScope.Prefix => Prefix,
        EntityScope.LoginTarget => LoginTarget,
        EntityScope.Fingerprint => Fingerprint,
        _ => Route,
    };
}

/// <summary>
/// Sliding windows per entity (client IP, API key id, subject, route template) and per aggregate
/// (address range, login target, client fingerprint), with hour and day horizons, in event time.
/// Not thread-safe: one pipeline owns one store. Memory is bounded: idle entities are evicted,
/// and above <see cref="FeatureOptions.MaxEntities"/> the least recently seen go first.
/// </summary>
internal sealed class FeatureStore
{
    private const int SweepEvery = 8192;
    private readonly Dictionary<string, EntityState>[] _entities =
    [
        new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal),
        new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal),
    ];

    private readonly AddressPrefix _prefixes;
    // Fingerprint keys by principal kind, then user agent: string keys hash with the ordinal comparer,
    // a (string, string) tuple would go through randomized Marvin hashing on every event.
    private readonly List<(string Kind, Dictionary<string, string> ByAgent, string NoAgent)> _fingerprints = [];
    private int _fingerprintCount;

    private readonly long _lateTicks;
    private readonly long _idleTicks;
    private readonly int _maxEntities;
    private readonly HashSet<string> _loginRoutes;
    private readonly SearchValues<string> _sensitive;
    private long _watermark;
    private bool _lateInEvent;
    private int _sinceSweep;

    public FeatureStore(FeatureOptions options)
    {
        _lateTicks = options.LateTolerance.Ticks;
        _idleTicks = options.IdleTimeout.Ticks;
        _maxEntities = options.MaxEntities;
        _loginRoutes = new HashSet<string>(options.LoginRoutes, StringComparer.OrdinalIgnoreCase);
        _sensitive = SearchValues.Create([.. options.SensitivePaths], StringComparison.OrdinalIgnoreCase);
        _prefixes = new AddressPrefix(options.Ipv4Prefix, options.Ipv6Prefix, Math.Max(1024, options.MaxEntities / 2));
    }

    /// <summary>Entities currently tracked over all scopes.</summary>
    public int TrackedEntities
    {
        get
        {
            var n = 0;
            foreach (var map in _entities)
            {
                n += map.Count;
            }

            return n;
        }
    }

    public long LateEvents { get; private set; }

    public long Evicted { get; private set; }

    /// <summary>The newest event time seen, the store's notion of "now".</summary>
    public DateTimeOffset Watermark => new(_watermark, TimeSpan.Zero);

    public int Count(EntityScope scope) => _entities[(int)scope].Count;

    public EntityState? Find(EntityScope scope, string key) => _entities[(int)scope].GetValueOrDefault(key);

    public bool IsLoginRoute(RequestEvent e) => _loginRoutes.Contains(e.PathTemplate ?? e.Path);

    public bool IsSensitivePath(string path) => path.AsSpan().ContainsAny(_sensitive);

    /// <summary>Every scope.</summary>
    public const int AllScopes = (1 << EntityScopes.Count) - 1;

    /// <summary>Adds the event to every entity it belongs to.</summary>
    public ObservedEntities Observe(RequestEvent e) => Observe(e, AllScopes);

    /// <summary>Adds the event to the entities it belongs to in the scopes of <paramref name="scopeMask"/> (a bit per <see cref="EntityScope"/>).</summary>
    public ObservedEntities Observe(RequestEvent e, int scopeMask)
    {
        var facts = Facts(e);
        if (facts.Ticks > _watermark)
        {
            _watermark = facts.Ticks;
        }

        EntityState? ip = null, key = null, subject = null, route = null, prefix = null, login = null, fingerprint = null;
        if (Has(scopeMask, EntityScope.Ip))
        {
            ip = Touch(EntityScope.Ip, e.ClientIp, in facts);
        }

        if (e.Principal.Id is { Length: > 0 } id)
        {
            if (e.Principal.Kind == PrincipalKinds.ApiKey && Has(scopeMask, EntityScope.ApiKey))
            {
                key = Touch(EntityScope.ApiKey, id, in facts);
            }
            else if (e.Principal.Kind == PrincipalKinds.Jwt && Has(scopeMask, EntityScope.Subject))
            {
                subject = Touch(EntityScope.Subject, id, in facts);
            }
        }

        if (Has(scopeMask, EntityScope.Route))
        {
            route = Touch(EntityScope.Route, RouteKey(e), in facts);
        }

        if (Has(scopeMask, EntityScope.Prefix) && _prefixes.Of(e.ClientIp) is { } range)
        {
            prefix = Touch(EntityScope.Prefix, range, in facts);
        }

        if (Has(scopeMask, EntityScope.LoginTarget) && LoginTargetKey(e, in facts) is { } target)
        {
            login = Touch(EntityScope.LoginTarget, target, in facts);
        }

        if (Has(scopeMask, EntityScope.Fingerprint))
        {
            fingerprint = Touch(EntityScope.Fingerprint, FingerprintKey(e), in facts);
        }

        if (_lateInEvent)
        {
            LateEvents++;
            _lateInEvent = false;
        }

        if (++_sinceSweep >= SweepEvery || TrackedEntities > _maxEntities)
        {
            _sinceSweep = 0;
            Sweep();
        }

        return new ObservedEntities(ip, key, subject, route, prefix, login, fingerprint);
    }

    private EntityState? Touch(EntityScope scope, string key, in EventFacts facts)
    {
        var map = _entities[(int)scope];
        // One hash lookup finds the entity or reserves its slot.
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(map, key, out var exists);
        var state = slot!;
        if (!exists)
        {
            if (facts.Ticks < _watermark - _lateTicks - _idleTicks)
            {
                // Far too old for a new entity: it would be evicted on the next sweep anyway.
                map.Remove(key);
                _lateInEvent = true;
                return null;
            }

            state = new EntityState(key, EntityScopes.IsAggregate(scope));
            slot = state;
        }

        if (!state.Observe(in facts, _lateTicks))
        {
            _lateInEvent = true;
        }

        return state;
    }

    /// <summary>
    /// Forgets every window. Called when the consumer group takes partitions away: windows mix
    /// events from several partitions (a key or subject is seen behind many IPs), so the events
    /// behind them cannot be split by partition, and keeping them would count again what the
    /// partitions' new owner re-reads.
    /// </summary>
    public int Clear()
    {
        var dropped = TrackedEntities;
        foreach (var map in _entities)
        {
            map.Clear();
        }

        return dropped;
    }

    /// <summary>Evicts idle entities; if still over the cap, evicts the least recently seen down to 80 % of it.</summary>
    public void Sweep()
    {
        var idleBefore = _watermark - _idleTicks;
        foreach (var map in _entities)
        {
            foreach (var (k, v) in map)
            {
                if (v.LastTicks < idleBefore)
                {
                    map.Remove(k);
                    Evicted++;
                }
            }
        }

        var total = TrackedEntities;
        if (total <= _maxEntities)
        {
            return;
        }

        var target = (int)(_maxEntities * 0.8);
        var times = ArrayPool<long>.Shared.Rent(total);
        try
        {
            var n = 0;
            foreach (var map in _entities)
            {
                foreach (var v in map.Values)
                {
                    times[n++] = v.LastTicks;
                }
            }

            Array.Sort(times, 0, n);
            var cutoff = times[n - target];
            foreach (var map in _entities)
            {
                foreach (var (k, v) in map)
                {
                    if (v.LastTicks < cutoff)
                    {
                        map.Remove(k);
                        Evicted++;
                    }
                }
            }

            // Ties at the cutoff may leave us above target; evict them too so the cap holds.
            if (TrackedEntities > _maxEntities)
            {
                foreach (var map in _entities)
                {
                    foreach (var (k, v) in map)
                    {
                        if (v.LastTicks <= cutoff && TrackedEntities > target)
                        {
                            map.Remove(k);
                            Evicted++;
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(times);
        }
    }

    /// <summary>
    /// Appends <c>scope:key</c> for every entity of the scopes in <paramref name="scopeMask"/> the
    /// event belongs to: the keys the second stage partitions by.
    /// </summary>
    public void EntityKeys(RequestEvent e, int scopeMask, List<string> keys)
    {
        if (e.Principal.Id is { Length: > 0 } id)
        {
            if (e.Principal.Kind == PrincipalKinds.ApiKey && Has(scopeMask, EntityScope.ApiKey))
            {
                keys.Add("api_key:" + id);
            }
            else if (e.Principal.Kind == PrincipalKinds.Jwt && Has(scopeMask, EntityScope.Subject))
            {
                keys.Add("subject:" + id);
            }
        }

        if (Has(scopeMask, EntityScope.Route))
        {
            keys.Add("route:" + RouteKey(e));
        }

        if (Has(scopeMask, EntityScope.Prefix) && _prefixes.Of(e.ClientIp) is { } range)
        {
            keys.Add("cidr:" + range);
        }

        if (Has(scopeMask, EntityScope.LoginTarget))
        {
            var facts = Facts(e);
            if (LoginTargetKey(e, in facts) is { } target)
            {
                keys.Add("login:" + target);
            }
        }

        if (Has(scopeMask, EntityScope.Fingerprint))
        {
            keys.Add("fingerprint:" + FingerprintKey(e));
        }
    }

    private static bool Has(int mask, EntityScope scope) => (mask & (1 << (int)scope)) != 0;

    private static string? LoginTargetKey(RequestEvent e, in EventFacts facts) =>
        (facts.FailedLoginHash != 0 || facts.LoginSuccess) && e.LoginHash is { Length: > 0 } lh ? lh : null;

    /// <summary>
    /// The clients tracked inside <paramref name="range"/>: how many, how many logged in successfully
    /// within the hour (real users a range decision would hurt), and how many failed logins without
    /// any success (participants). A scan over the tracked clients, run only when a range decision is considered.
    /// </summary>
    public RangeCensus Census(System.Net.IPNetwork range)
    {
        int clients = 0, withLogin = 0, failing = 0;
        foreach (var (key, state) in _entities[(int)EntityScope.Ip])
        {
            if (!System.Net.IPAddress.TryParse(key, out var ip) || !range.Contains(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip))
            {
                continue;
            }

            clients++;
            ref readonly var h = ref state.Horizon;
            if (h.Successes >= 0.5f || h.DaySuccesses >= 0.5f)
            {
                withLogin++;
            }
            else if (h.Failures >= 0.5f)
            {
                failing++;
            }
        }

        return new RangeCensus(clients, withLogin, failing);
    }

    /// <summary>The fingerprint aggregate's key: how the client authenticates and its user agent.</summary>
    private string FingerprintKey(RequestEvent e)
    {
        var kind = e.Principal.Kind;
        var byKind = KindFingerprints(kind);
        if (e.UserAgent is not { } agent)
        {
            return byKind.NoAgent;
        }

        var agents = byKind.ByAgent;
        if (agents.TryGetValue(agent, out var key))
        {
            return key;
        }

        if (_fingerprintCount >= 16_384)
        {
            foreach (var (_, map, _) in _fingerprints)
            {
                map.Clear();
            }

            _fingerprintCount = 0;
        }

        key = $"{kind}|{agent}";
        agents[agent] = key;
        _fingerprintCount++;
        return key;
    }

    // A handful of principal kinds: a list searched by value beats hashing the kind.
    private (string Kind, Dictionary<string, string> ByAgent, string NoAgent) KindFingerprints(string kind)
    {
        foreach (var entry in _fingerprints)
        {
            if (string.Equals(entry.Kind, kind, StringComparison.Ordinal))
            {
                return entry;
            }
        }

        var added = (kind, new Dictionary<string, string>(StringComparer.Ordinal), $"{kind}|-");
        _fingerprints.Add(added);
        return added;
    }

    /// <summary>The route aggregate's key: the template, else the route id; access logs have neither, so a login path stands for itself.</summary>
    private string RouteKey(RequestEvent e) =>
        e.PathTemplate ?? e.RouteId ?? (_loginRoutes.Contains(e.Path) ? e.Path : "(unrouted)");

    private EventFacts Facts(RequestEvent e)
    {
        var template = e.PathTemplate;
        var f = new EventFacts
        {
            Ticks = e.Timestamp.UtcTicks,
            Status = e.Status,
            BytesIn = e.BytesIn,
            BytesOut = e.BytesOut,
            LatencyMs = (float)e.DurationMs,
            PathHash = Sketch.Hash(e.Path),
            TemplateHash = Sketch.Hash(template ?? e.RouteId ?? ""),
            SourceHash = Sketch.Hash(e.ClientIp),
            AgentHash = e.UserAgent is null ? 1u : Sketch.Hash(e.UserAgent) | 1u,
            Undocumented = e.Catalog == "undocumented",
            IdValue = -1,
        };

        var isLogin = IsLoginRoute(e);
        f.AuthFailure = e.Auth.Outcome == AuthOutcomes.Failure || (e.Status == 401 && isLogin);
        f.LoginSuccess = isLogin && e.Status is >= 200 and < 300;
        if (f.AuthFailure && isLogin)
        {
            // Without a login hash every failure counts as one identifier: distinct counting then stays at one.
            f.FailedLoginHash = e.LoginHash is { Length: > 0 } lh ? Sketch.Hash(lh) | 1u : 1u;
        }

        if (e.Inspection is { Categories.Count: > 0 } insp)
        {
            f.Finding = true;
            foreach (var c in insp.Categories)
            {
                f.CategoryMask |= EventFacts.CategoryBit(c);
            }
        }
        else if (e.Inspection is { Rules.Count: > 0 })
        {
            f.Finding = true;
            f.CategoryMask = 128;
        }

        if (e.Status == 404 || template is null || e.Path.Contains('.', StringComparison.Ordinal))
        {
            f.Sensitive = IsSensitivePath(e.Path);
        }

        ExtractId(e.Path, template, ref f);
        return f;
    }

    private static void ExtractId(string path, string? template, ref EventFacts f)
    {
        var span = path.AsSpan().TrimEnd('/');
        var slash = span.LastIndexOf('/');
        if (slash < 0 || slash == span.Length - 1)
        {
            return;
        }

        var segment = span[(slash + 1)..];
        var numeric = long.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id);
        var templated = template is not null && template.EndsWith('}');
        if (!numeric && !templated)
        {
            return;
        }

        f.IdHash = Sketch.Hash(segment, f.TemplateHash) | 0x80000000u;
        f.IdValue = numeric ? id : -1;
        if (template is null)
        {
            // Unrouted paths: use the parent path as the "template" so /a/1 and /a/2 count as neighbours.
            f.TemplateHash = Sketch.Hash(span[..slash]);
        }
    }
}
