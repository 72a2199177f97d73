namespace Analytics.Sidecar.Routes;

/// <summary>The sidecar's per-route policy by YARP route id (defaults for a route without its own section).</summary>
public interface IRouteOptionsProvider
{
    SidecarRouteOptions Get(string routeId);
}
