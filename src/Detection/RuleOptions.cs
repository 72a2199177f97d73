namespace Analytics.Detection;

/// <summary>Settings every detector has: on/off, simulation, what it does and for how long.</summary>
public abstract class RuleOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Decide, log and alert, but mark the decision simulated so no sidecar enforces it.</summary>
    public bool Simulate { get; set; }

    /// <summary><c>block</c>, <c>throttle</c> or <c>alert</c> (alert only, no decision).</summary>
    public string Action { get; set; } = "block";

    /// <summary>How long a first decision lasts; repeat offenders get longer (see Decisions).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Comma-separated entity scopes the rule judges: ip, api_key, subject, route. API keys are
    /// opt-in because one key is often shared by many legitimate clients.
    /// </summary>
    public string Scopes { get; set; } = "ip,subject";

    /// <summary>Alert severity: info, low, medium, high or critical.</summary>
    public string Severity { get; set; } = "high";
}
