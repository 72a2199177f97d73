using System.Collections.Concurrent;
using Analytics.Inspection;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.Inspection.OpenApi;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.RateLimiting;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Analytics.Sidecar.Routes;

/// <summary>
/// Compiled route policies, one per route, cached until either of its sources changes: YARP's
/// route config (a proxy config reload hands out new <see cref="RouteConfig"/> instances) or the
/// route's <c>Sidecar:Routes</c> entry (a reload of that section hands out new option objects).
/// </summary>
internal sealed class RoutePolicies(IRouteOptionsProvider routes, RateLimitPolicies rateLimits, IOptions<ProxyOptions> proxy,
    IOptions<InspectionOptions> inspection, OpenApiRegistry openApi)
{
    private readonly ConcurrentDictionary<string, RoutePolicy> _compiled = new(StringComparer.Ordinal);
    private readonly long _defaultMaxBody = proxy.Value.Limits.MaxRequestBodyBytes;
    private readonly int _defaultInspectionBody = inspection.Value.MaxBodyBytes;

    public RoutePolicy Resolve(RouteConfig config)
    {
        var options = routes.Get(config.RouteId);
        if (_compiled.TryGetValue(config.RouteId, out var policy) && ReferenceEquals(policy.Config, config) && ReferenceEquals(policy.Options, options))
        {
            return policy;
        }

        policy = new RoutePolicy(config, options, rateLimits.Get(options.RateLimitPolicy), _defaultMaxBody, _defaultInspectionBody,
            config.ClusterId is { } cluster ? openApi.Get(cluster) : null);
        _compiled[config.RouteId] = policy;
        return policy;
    }
}
