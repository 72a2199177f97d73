using Analytics.Sidecar.Inspection.Normalization;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Analytics.Sidecar.Catalog;

/// <summary>
/// Records every proxied request in the catalog once the response is known (status, principal
/// kind, documented or not), and gives telemetry the path template when nothing else did.
/// Runs in the proxy pipeline, so it sees what inspection and the upstream answered.
/// </summary>
internal sealed class CatalogMiddleware(RequestDelegate next, ApiCatalog catalog)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var query = raw?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        var path = string.IsNullOrEmpty(raw) || raw[0] != '/' ? context.Request.Path.Value ?? "/" : query < 0 ? raw : raw[..query];
        var flags = DecodeFlags.None;
        var canonical = PathCanonicalizer.Canonicalize(path, out _, ref flags);
        var template = catalog.Template(canonical);
        var telemetry = RequestTelemetry.For(context);
        try
        {
            await next(context);
        }
        finally
        {
            telemetry.PathTemplate ??= template;
            var routeId = context.Features.Get<IReverseProxyFeature>()?.Route.Config.RouteId;
            bool? documented = telemetry.Catalog switch { "documented" => true, "undocumented" => false, _ => null };
            catalog.Record(context.Request.Method, telemetry.PathTemplate ?? template, routeId, context.Response.StatusCode, telemetry.Principal.Kind, documented);
        }
    }
}
