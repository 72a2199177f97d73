namespace Analytics.Traffic;

/// <summary>What the traffic generator produces: populations, attacks, seed and bounds. Same seed, same traffic.</summary>
public sealed class TrafficOptions
{
    public int Seed { get; set; } = 42;

    /// <summary>Simulated time span the populations are spread over.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Event time of the first request (event mode).</summary>
    public DateTimeOffset Start { get; set; } = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Browsing users, each with an IP of their own.</summary>
    public int BrowsingUsers { get; set; } = 300;

    /// <summary>Mobile carrier NATs: many users behind one shared IP.</summary>
    public int NatGroups { get; set; } = 3;

    public int UsersPerNat { get; set; } = 40;

    /// <summary>Legitimate high-rate integrations with an API key.</summary>
    public int BatchIntegrations { get; set; } = 2;

    /// <summary>Search-engine crawlers.</summary>
    public int Crawlers { get; set; } = 2;

    /// <summary>Attackers per attack class (fast variant); each class also gets low-and-slow and, where it exists, distributed variants.</summary>
    public int AttackersPerClass { get; set; } = 4;

    public bool LowAndSlow { get; set; } = true;

    public bool Distributed { get; set; } = true;

    /// <summary>
    /// Add the stealthy attacks (low-and-slow brute force for an hour, a credential-stuffing botnet
    /// in one /24, a scraper rotating through one IPv6 /64, a slow scraper with a browser agent)
    /// and their benign look-alikes (carrier-grade NATs, university /24s, IPv6 homes with privacy
    /// addresses, slow-but-forever pollers, monitoring probes, people who mistype their password).
    /// They span an hour: generate at least 70 minutes.
    /// </summary>
    public bool Stealthy { get; set; }

    /// <summary>With <see cref="Stealthy"/>: carrier-grade NATs (four times <see cref="UsersPerNat"/> users behind one address over an hour).</summary>
    public int CarrierNats { get; set; } = 2;

    /// <summary>With <see cref="Stealthy"/>: university /24s of independent users.</summary>
    public int Universities { get; set; } = 2;

    /// <summary>With <see cref="Stealthy"/>: IPv6 home networks whose devices rotate privacy addresses within one /64.</summary>
    public int Ipv6Homes { get; set; } = 10;

    /// <summary>With <see cref="Stealthy"/>: integrations polling a few items every half minute, forever.</summary>
    public int SlowPollers { get; set; } = 3;

    /// <summary>With <see cref="Stealthy"/>: monitoring probes on the status route every ten seconds.</summary>
    public int Probes { get; set; } = 3;

    /// <summary>With <see cref="Stealthy"/>: people who mistype their password a few times and then log in.</summary>
    public int Typists { get; set; } = 30;

    /// <summary>Leave attacks out entirely (benign training data).</summary>
    public bool BenignOnly { get; set; }

    /// <summary>Attack classes to include (alert type names); empty means all.</summary>
    public IReadOnlyCollection<string> AttackClasses { get; set; } = [];

    /// <summary>HTTP mode: how much faster than planned time to send (2 = twice as fast).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>HTTP mode: stop after this many requests.</summary>
    public int MaxRequests { get; set; } = 20_000;

    /// <summary>HTTP mode: stop after this much wall-clock time.</summary>
    public TimeSpan MaxWallTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>HTTP mode: requests in flight at most.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>A small, quick mix for the demo: a few users, one of each look-alike, one attacker per class, over two minutes.</summary>
    public static TrafficOptions Demo(int seed = 7) => new()
    {
        Seed = seed,
        Duration = TimeSpan.FromMinutes(2),
        BrowsingUsers = 12,
        NatGroups = 1,
        UsersPerNat = 10,
        BatchIntegrations = 1,
        Crawlers = 1,
        AttackersPerClass = 1,
        LowAndSlow = false,
        Distributed = false,
    };
}
