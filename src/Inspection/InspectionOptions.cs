namespace Analytics.Inspection;

/// <summary>Sidecar-wide inspection settings (<c>Sidecar:Inspection</c>); per-route ones are in <see cref="RouteInspectionOptions"/>.</summary>
public sealed class InspectionOptions
{
    public const string SectionPath = "Sidecar:Inspection";

    /// <summary>
    /// Default size of the body prefix that is inspected; the rest is forwarded unscanned, telemetry
    /// says truncated and the route's <see cref="RouteInspectionOptions.OversizeBody"/> decides what it costs.
    /// </summary>
    public int MaxBodyBytes { get; set; } = InspectionDefaults.MaxBodyBytes;

    /// <summary>Bound on repeated percent-decoding passes.</summary>
    public int MaxDecodePasses { get; set; } = 4;

    /// <summary>The learned model (ML.NET zip), relative to the content root; empty disables it.</summary>
    public string? ModelPath { get; set; } = "models/inspection-model.zip";

    /// <summary>Probability at or above which the model adds its weight; null uses the threshold from the model card.</summary>
    public double? ModelThreshold { get; set; }

    /// <summary>Anomaly weight the model adds when it is over its threshold.</summary>
    public int ModelWeight { get; set; } = 5;

    /// <summary>OpenAPI 3 document per YARP cluster id (file path, JSON or YAML).</summary>
    public Dictionary<string, string> OpenApi { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
