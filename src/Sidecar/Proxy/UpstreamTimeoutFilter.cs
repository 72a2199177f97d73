using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Analytics.Sidecar.Proxy;

/// <summary>Gives every cluster without its own <c>HttpRequest:ActivityTimeout</c> the sidecar's (YARP's default is 100 s).</summary>
internal sealed class UpstreamTimeoutFilter(IOptions<ProxyOptions> options) : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        if (cluster.HttpRequest?.ActivityTimeout is not null)
        {
            return ValueTask.FromResult(cluster);
        }

        var request = (cluster.HttpRequest ?? ForwarderRequestConfig.Empty) with { ActivityTimeout = options.Value.Upstream.ActivityTimeout };
        return ValueTask.FromResult(cluster with { HttpRequest = request });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) => ValueTask.FromResult(route);
}
