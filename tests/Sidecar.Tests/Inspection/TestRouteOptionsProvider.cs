using Analytics.Sidecar.Routes;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>Route options for tests: a dictionary by route id, defaults otherwise.</summary>
internal sealed class TestRouteOptionsProvider : IRouteOptionsProvider
{
    public Dictionary<string, SidecarRouteOptions> Routes { get; } = new(StringComparer.Ordinal);

    public SidecarRouteOptions Get(string routeId) => Routes.TryGetValue(routeId, out var o) ? o : new SidecarRouteOptions();
}
