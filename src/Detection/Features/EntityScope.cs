namespace Analytics.Detection.Features;

/// <summary>The kinds of entity the analyzer keeps windows for.</summary>
internal enum EntityScope : byte
{
    Ip = 0,
    ApiKey = 1,
    Subject = 2,
    Route = 3,
    /// <summary>An address range: IPv4 /24 and IPv6 /64 by default (<c>Analyzer:Features:Ipv4Prefix</c>/<c>Ipv6Prefix</c>).</summary>
    Prefix = 4,
    /// <summary>The login target: the keyed hash of the login identifier, across every address that tried it.</summary>
    LoginTarget = 5,
    /// <summary>A client fingerprint: the user agent and how the client authenticates, across addresses.</summary>
    Fingerprint = 6,
}

/// <summary>Maps scopes to decision scopes and display names.</summary>
internal static class EntityScopes
{
    public const int Count = 7;

    public static string Name(EntityScope scope) => scope switch
    {
        EntityScope.Ip => "ip",
        EntityScope.ApiKey => "api_key",
        EntityScope.Subject => "subject",
        EntityScope.Prefix => "cidr",
        EntityScope.LoginTarget => "login",
        EntityScope.Fingerprint => "fingerprint",
        _ => "route",
    };

    /// <summary>The scope a name stands for (the inverse of <see cref="Name"/>), or null.</summary>
    public static EntityScope? Parse(ReadOnlySpan<char> name) => name switch
    {
        "ip" => EntityScope.Ip,
        "api_key" => EntityScope.ApiKey,
        "subject" => EntityScope.Subject,
        "route" => EntityScope.Route,
        "cidr" => EntityScope.Prefix,
        "login" => EntityScope.LoginTarget,
        "fingerprint" => EntityScope.Fingerprint,
        _ => null,
    };

    /// <summary>Aggregates of many clients: their horizon sketch counts distinct sources, not paths.</summary>
    public static bool IsAggregate(EntityScope scope) => scope is EntityScope.Route or EntityScope.Prefix or EntityScope.LoginTarget or EntityScope.Fingerprint;

    /// <summary>Entities no decision can target (no decision scope exists for them): detectors only alert.</summary>
    public static bool IsAlertOnly(EntityScope scope) => scope is EntityScope.Route or EntityScope.LoginTarget or EntityScope.Fingerprint;
}
