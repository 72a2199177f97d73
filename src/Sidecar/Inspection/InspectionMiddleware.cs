using Analytics.Inspection;
using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Routes;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Analytics.Sidecar.Inspection;

/// <summary>
/// Inspection as a single proxy-pipeline step, for hosts that compose steps one by one (the
/// sidecar itself runs <see cref="RequestInspector"/> from its fused route step).
/// </summary>
internal sealed class InspectionMiddleware(RequestDelegate next, RoutePolicies policies, RequestInspector inspector)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.Features.Get<IReverseProxyFeature>();
        if (proxy is null)
        {
            await next(context);
            return;
        }

        var route = policies.Resolve(proxy.Route.Config);
        if (!route.Inspect && route.OpenApi is null)
        {
            await next(context);
            return;
        }

        var request = RequestContext.For(context);
        request.Route ??= route;
        var body = RequestInspector.ReadsBody(route) && BodyPrefix.HasBody(context.Request)
            ? await BodyPrefix.ReadAsync(context, route.InspectionBodyBytes)
            : BodyPrefix.None;
        if (await inspector.InspectAsync(context, request, route, body))
        {
            await next(context);
        }
    }
}
