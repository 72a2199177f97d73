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

    /// <summary>
    /// Completed requests waiting for the telemetry loop, which builds their events off the
    /// request path; beyond it a request's event is dropped and counted.
    /// </summary>
    [Range(16, 10_000_000)]
    public int BufferCapacity { get; set; } = 65_536;

    /// <summary>
    /// How long the telemetry loop lets completed requests gather before it builds the next
    /// batch of events: one wake-up per batch instead of one per request.
    /// </summary>
    [Range(0, 1000)]
    public int BatchDelayMs { get; set; } = 5;
}
