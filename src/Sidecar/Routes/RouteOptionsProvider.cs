using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Routes;

/// <summary>Reads <c>Sidecar:Routes</c>; the validated snapshot is taken once, so lookups cost one dictionary probe.</summary>
internal sealed class RouteOptionsProvider(IOptions<SidecarRoutesOptions> options) : IRouteOptionsProvider
{
    private static readonly SidecarRouteOptions ClosedDefault = new();
    private readonly Dictionary<string, SidecarRouteOptions> _routes = new(options.Value, StringComparer.OrdinalIgnoreCase);

    public SidecarRouteOptions Get(string routeId) => _routes.TryGetValue(routeId, out var route) ? route : ClosedDefault;
}

/// <summary>The <c>Sidecar:Routes</c> section: policy per YARP route id.</summary>
public sealed class SidecarRoutesOptions : Dictionary<string, SidecarRouteOptions>
{
    public const string Section = "Sidecar:Routes";

    public SidecarRoutesOptions()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}
