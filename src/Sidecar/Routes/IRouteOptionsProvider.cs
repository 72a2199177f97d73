namespace Analytics.Sidecar.Routes;

/// <summary>The sidecar's per-route policy for a YARP route id.</summary>
public interface IRouteOptionsProvider
{
    /// <summary>The policy for <paramref name="routeId"/>; routes without one get the closed default (authenticated).</summary>
    SidecarRouteOptions Get(string routeId);
}
