using Analytics.Sidecar.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Analytics.Sidecar.Catalog;

/// <summary>
/// The catalog as a single proxy-pipeline step, for hosts that compose steps one by one: records
/// the request once the response is known. The sidecar itself records from its telemetry loop,
/// off the request path.
/// </summary>
internal sealed class CatalogMiddleware(RequestDelegate next, ApiCatalog catalog)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = RequestContext.For(context);
        try
        {
            await next(context);
        }
        finally
        {
            if (ApiCatalog.Learns(request.RejectedBy))
            {
                Observe(context, request);
            }
        }
    }

    private void Observe(HttpContext context, RequestContext request)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var target = string.IsNullOrEmpty(raw) || raw[0] != '/' ? context.Request.Path.Value ?? "/" : raw;
        var routeId = context.Features.Get<IReverseProxyFeature>()?.Route.Config.RouteId;
        request.PathTemplate = catalog.Observe(context.Request.Method, target, routeId, context.Response.StatusCode, request.Principal.Kind,
            request.Catalog, request.PathTemplate);
    }
}
