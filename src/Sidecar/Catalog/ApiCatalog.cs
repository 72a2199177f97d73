using System.Collections.Concurrent;
using Analytics.Messaging;
using Analytics.Sidecar.Inspection.Normalization;

namespace Analytics.Sidecar.Catalog;

/// <summary>One learned operation: counts, first and last seen, status and authentication mix.</summary>
internal sealed class CatalogEntry(string method, string template, string? routeId, DateTimeOffset now)
{
    private long _count;
    private readonly long[] _status = new long[5];
    private long _anonymous;
    private long _apiKey;
    private long _jwt;
    private long _lastSeenTicks = now.UtcTicks;

    public string Method { get; } = method;
    public string Template { get; } = template;
    public string? RouteId { get; } = routeId;
    public DateTimeOffset FirstSeen { get; } = now;
    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);
    public long Count => Interlocked.Read(ref _count);
    public bool? Documented { get; set; }

    public void Record(int status, string principalKind, DateTimeOffset now)
    {
        Interlocked.Increment(ref _count);
        Interlocked.Exchange(ref _lastSeenTicks, now.UtcTicks);
        var bucket = status / 100 - 1;
        if (bucket is >= 0 and < 5)
        {
            Interlocked.Increment(ref _status[bucket]);
        }

        switch (principalKind)
        {
            case PrincipalKinds.ApiKey:
                Interlocked.Increment(ref _apiKey);
                break;
            case PrincipalKinds.Jwt:
                Interlocked.Increment(ref _jwt);
                break;
            default:
                Interlocked.Increment(ref _anonymous);
                break;
        }
    }

    public CatalogOperation Snapshot() => new()
    {
        Method = Method,
        Path = Template,
        RouteId = RouteId,
        Count = Count,
        FirstSeen = FirstSeen,
        LastSeen = LastSeen,
        Documented = Documented,
        Status = new Dictionary<string, long>
        {
            ["1xx"] = Interlocked.Read(ref _status[0]),
            ["2xx"] = Interlocked.Read(ref _status[1]),
            ["3xx"] = Interlocked.Read(ref _status[2]),
            ["4xx"] = Interlocked.Read(ref _status[3]),
            ["5xx"] = Interlocked.Read(ref _status[4]),
        },
        Auth = new Dictionary<string, long>
        {
            [PrincipalKinds.Anonymous] = Interlocked.Read(ref _anonymous),
            [PrincipalKinds.ApiKey] = Interlocked.Read(ref _apiKey),
            [PrincipalKinds.Jwt] = Interlocked.Read(ref _jwt),
        },
    };
}

/// <summary>
/// The operations this sidecar has seen, learned from traffic. Memory is bounded: at most
/// <see cref="CatalogOptions.MaxOperations"/> entries; beyond that new operations are counted
/// as overflow instead of stored (a scanner must not grow the catalog without end).
/// </summary>
internal sealed class ApiCatalog(CatalogOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Method, string Template), CatalogEntry> _entries = new();
    private readonly PathTemplater _templater = new(options.CardinalityLimit, options.MaxTrackedPrefixes, options.MaxSegments,
        options.MaxSegmentLength, options.MaxTrackedValues);
    private long _overflow;

    public long Overflow => Interlocked.Read(ref _overflow);

    /// <summary>Prefixes and values the templater did not store because it was full.</summary>
    public long Untracked => _templater.Untracked;

    /// <summary>
    /// Whether a request that ended this way teaches the catalog anything. Refusals that come
    /// before authentication and cost the sidecar nothing (a decision on the client, a broken
    /// limit, a rate limit) are not learned: an address that is already blocked must not make
    /// the sidecar template its paths, and a flood must not fill the catalog.
    /// </summary>
    public static bool Learns(string rejectedBy) =>
        rejectedBy is not (RejectionReasons.Decision or RejectionReasons.Limits or RejectionReasons.RateLimit);

    public string Template(string canonicalPath) => _templater.Template(canonicalPath);

    public void Record(string method, string template, string? routeId, int status, string principalKind, bool? documented)
    {
        var now = time.GetUtcNow();
        var key = (method, template);
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (_entries.Count >= options.MaxOperations)
            {
                Interlocked.Increment(ref _overflow);
                return;
            }

            entry = _entries.GetOrAdd(key, k => new CatalogEntry(k.Method, k.Template, routeId, now));
        }

        if (documented is not null)
        {
            entry.Documented = documented;
        }

        entry.Record(status, principalKind, now);
    }

    /// <summary>
    /// Learns one completed request from its raw target (Kestrel's <c>Request.Path</c> is already
    /// decoded and normalised). Returns the template it was counted under: <paramref name="knownTemplate"/>
    /// (the route's or the OpenAPI operation's) when there is one, else the learned one.
    /// </summary>
    public string Observe(string method, string rawTarget, string? routeId, int status, string principalKind, string? catalogStatus, string? knownTemplate)
    {
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var end = query < 0 ? rawTarget.Length : query;
        // Only the first segments are templated: decode no more of the target than they can use
        // (a %2F stands for one segment in three characters), cut at a '/' so no segment is halved.
        var budget = options.MaxSegments * (options.MaxSegmentLength + 1) * 3;
        if (end > budget)
        {
            var slash = rawTarget.LastIndexOf('/', budget - 1);
            end = slash > 0 ? slash : budget;
        }

        var path = rawTarget[..end];
        var flags = DecodeFlags.None;
        var learned = Template(PathCanonicalizer.Canonicalize(path, out _, ref flags));
        var template = knownTemplate ?? learned;
        bool? documented = catalogStatus switch { "documented" => true, "undocumented" => false, _ => null };
        Record(method, template, routeId, status, principalKind, documented);
        return template;
    }

    public CatalogSnapshot Snapshot()
    {
        var operations = new List<CatalogOperation>(_entries.Count);
        foreach (var entry in _entries.Values)
        {
            operations.Add(entry.Snapshot());
        }

        operations.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path) is var c and not 0 ? c : string.CompareOrdinal(a.Method, b.Method));
        return new CatalogSnapshot { GeneratedAt = time.GetUtcNow(), Operations = operations, Overflow = Overflow, Untracked = Untracked };
    }
}

/// <summary>Catalog settings (<c>Sidecar:Catalog</c>).</summary>
public sealed class CatalogOptions
{
    public const string SectionPath = "Sidecar:Catalog";

    /// <summary>Learn operations from traffic.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most operations kept; further ones are only counted.</summary>
    public int MaxOperations { get; set; } = 2000;

    /// <summary>Distinct values after one prefix beyond which a segment is treated as a parameter.</summary>
    public int CardinalityLimit { get; set; } = 50;

    /// <summary>Path segments templated one by one; the rest of a longer path becomes <c>/{rest}</c>.</summary>
    public int MaxSegments { get; set; } = 32;

    /// <summary>Longer segments are parameters without being stored.</summary>
    public int MaxSegmentLength { get; set; } = 100;

    /// <summary>Most prefixes whose values are counted; beyond, paths still template but nothing more is learned.</summary>
    public int MaxTrackedPrefixes { get; set; } = 5000;

    /// <summary>Most distinct segment values held across all prefixes.</summary>
    public int MaxTrackedValues { get; set; } = 100_000;
}
