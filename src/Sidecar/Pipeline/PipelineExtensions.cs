using Microsoft.AspNetCore.Builder;

namespace Analytics.Sidecar.Pipeline;

/// <summary>The two steps of the sidecar's own: the edge (every request) and the fused route steps (proxied requests).</summary>
internal static class PipelineExtensions
{
    /// <summary>Context, smuggling guard, response hardening, telemetry hand-off; before routing.</summary>
    public static IApplicationBuilder UseRequestEdge(this IApplicationBuilder app) => app.UseMiddleware<RequestEdgeMiddleware>();

    /// <summary>Limits, decisions, authentication, rate limits, login hashing, inspection; first in YARP's proxy pipeline.</summary>
    public static IApplicationBuilder UseRouteSteps(this IApplicationBuilder proxyPipeline) => proxyPipeline.UseMiddleware<RouteStepsMiddleware>();
}
