namespace Analytics.Detection.Decisions;

/// <summary>Guardrails for range (<c>cidr</c>) decisions (<c>Analyzer:Decisions:Ranges</c>).</summary>
public sealed class RangeOptions
{
    /// <summary>Range decisions at all: off leaves range detections as alerts.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>No IPv4 range decision wider than this prefix (a smaller number is a wider range).</summary>
    public int MinPrefixV4 { get; set; } = 24;

    /// <summary>No IPv6 range decision wider than this prefix.</summary>
    public int MinPrefixV6 { get; set; } = 48;

    /// <summary>At most this many clients in the range that logged in successfully within the hour or day; more and the range is only alerted on.</summary>
    public int MaxCollateral { get; set; }
}
