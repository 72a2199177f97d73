using Yarp.ReverseProxy.Model;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>
/// What YARP's routing leaves on a request before its proxy pipeline runs: the matched route.
/// The route steps read only <see cref="Route"/>; the forwarder's fields stay empty because the
/// benchmarks stop before forwarding.
/// </summary>
internal sealed class RoutedProxyFeature(RouteModel route) : IReverseProxyFeature
{
    public RouteModel Route { get; } = route;

    public ClusterModel Cluster => throw new NotSupportedException("The route steps do not read the cluster.");

    public IReadOnlyList<DestinationState> AllDestinations => [];

    public IReadOnlyList<DestinationState> AvailableDestinations { get; set; } = [];

    public DestinationState? ProxiedDestination { get; set; }
}
