using System.ComponentModel.DataAnnotations;

namespace Analytics.Sidecar.Telemetry;

/// <summary>What the sidecar says about itself in each RequestEvent (<c>Sidecar:Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Sidecar:Telemetry";

    /// <summary>The protected service's name.</summary>
    [Required]
    public string Service { get; set; } = "api";

    /// <summary>This sidecar instance; defaults to the host name.</summary>
    public string? Instance { get; set; }

    /// <summary>
    /// Secret for the keyed hash of login identifiers. All sidecars of a service must share it so
    /// the same user name hashes alike; without one a random key is made per process.
    /// </summary>
    public string? LoginHashKey { get; set; }

    [Range(16, 4096)]
    public int MaxPathLength { get; set; } = 256;

    [Range(16, 4096)]
    public int MaxUserAgentLength { get; set; } = 256;
}
