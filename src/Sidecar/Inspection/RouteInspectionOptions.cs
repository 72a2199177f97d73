namespace Analytics.Sidecar.Inspection;

/// <summary>Per-route inspection settings (<c>Sidecar:Routes:{routeId}:Inspection</c>).</summary>
public sealed class RouteInspectionOptions
{
    /// <summary><c>off</c>, <c>detect</c> or <c>block</c>.</summary>
    public string Mode { get; set; } = "detect";
}
