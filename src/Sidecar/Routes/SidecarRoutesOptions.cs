namespace Analytics.Sidecar.Routes;

/// <summary>The <c>Sidecar:Routes</c> section: policy per YARP route id.</summary>
public sealed class SidecarRoutesOptions : Dictionary<string, SidecarRouteOptions>
{
    public const string Section = "Sidecar:Routes";

    public SidecarRoutesOptions()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}
