namespace Analytics.Detection.Features;

/// <summary>Sliding-window and memory settings (<c>Analyzer:Features</c>).</summary>
public sealed class FeatureOptions
{
    /// <summary>Events older than the entity's newest event by more than this are counted as late and dropped.</summary>
    public TimeSpan LateTolerance { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An entity with no event for this long (event time) is evicted.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Hard cap on tracked entities over all scopes; the least recently seen go first.</summary>
    public int MaxEntities { get; set; } = 200_000;

    /// <summary>Prefix length of the IPv4 range aggregate (a botnet in one /24).</summary>
    public int Ipv4Prefix { get; set; } = 24;

    /// <summary>Prefix length of the IPv6 range aggregate (one subscriber's /64 with rotating addresses).</summary>
    public int Ipv6Prefix { get; set; } = 64;

    /// <summary>Route templates (or paths) whose 401s count as failed logins.</summary>
    public List<string> LoginRoutes { get; set; } = ["/api/login", "/login", "/auth/login", "/oauth/token", "/api/auth/login"];

    /// <summary>Path prefixes nobody legitimate asks an API for; hits count as sensitive-path probes.</summary>
    public List<string> SensitivePaths { get; set; } =
    [
        "/.env", "/.git", "/.svn", "/.aws", "/.ssh", "/.htaccess", "/.DS_Store", "/wp-admin", "/wp-login.php",
        "/wp-content", "/xmlrpc.php", "/phpmyadmin", "/pma", "/server-status", "/actuator", "/config.json",
        "/backup", "/admin.php", "/etc/passwd", "/cgi-bin", "/.well-known/security.txt.bak", "/debug", "/console",
    ];
}
