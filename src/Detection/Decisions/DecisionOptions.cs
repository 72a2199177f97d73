namespace Analytics.Detection.Decisions;

/// <summary>How detections become decisions (<c>Analyzer:Decisions</c>).</summary>
public sealed class DecisionOptions
{
    /// <summary>Each repeat offence within <see cref="RepeatWindow"/> multiplies the TTL by this.</summary>
    public double EscalationFactor { get; set; } = 4;

    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an offence is remembered for escalation.</summary>
    public TimeSpan RepeatWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>New decisions per minute at most: a runaway detector must not block the world. Alerts still flow.</summary>
    public int MaxDecisionsPerMinute { get; set; } = 120;

    /// <summary>Requests per second a <c>throttle</c> decision leaves the entity.</summary>
    public double ThrottleRate { get; set; } = 1;

    /// <summary>Guardrails for range decisions.</summary>
    public RangeOptions Ranges { get; set; } = new();

    /// <summary>
    /// Shared HMAC-SHA256 key every published decision is signed with (the sidecars' <c>Sidecar:Decisions:SigningKey</c>).
    /// Null publishes unsigned decisions, which sidecars with a key refuse. Never logged.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Entities that are never decided on and never alerted about.</summary>
    public List<AllowlistEntry> Allowlist { get; set; } = [];
}

/// <summary>One allowlisted entity: scope ip, cidr, api_key or subject; optional expiry.</summary>
public sealed class AllowlistEntry
{
    public string Scope { get; set; } = "ip";

    public string Value { get; set; } = "";

    public DateTimeOffset? Expires { get; set; }

    public string? Reason { get; set; }
}
