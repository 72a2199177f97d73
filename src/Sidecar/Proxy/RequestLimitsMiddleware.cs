using Analytics.Messaging;
using Analytics.Sidecar.Routes;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Analytics.Sidecar.Proxy;

/// <summary>
/// Step 1 on the proxy pipeline: records the matched route, and enforces header and body limits
/// itself (431, 413) so that those rejections become telemetry like every other.
/// </summary>
internal sealed class RequestLimitsMiddleware(RequestDelegate next, IRouteOptionsProvider routes, IOptions<ProxyOptions> options)
{
    private readonly ListenerLimitsOptions _limits = options.Value.Limits;

    public Task InvokeAsync(HttpContext context)
    {
        var telemetry = RequestTelemetry.For(context);
        var proxy = context.GetReverseProxyFeature();
        var routeConfig = proxy.Route.Config;
        telemetry.RouteId = routeConfig.RouteId;
        // A route pattern is the operation's template unless it is a catch-all, where the
        // catalog's learned template (ids folded) says more.
        if (routeConfig.Match.Path is { } pattern && !pattern.Contains("{*", StringComparison.Ordinal))
        {
            telemetry.PathTemplate ??= pattern;
        }

        var headers = context.Request.Headers;
        if (headers.Count > _limits.MaxRequestHeaderCount || HeaderBytes(headers) > _limits.MaxRequestHeadersTotalBytes)
        {
            return ProblemResponses.RejectAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, RejectionReasons.Limits,
                "Request Header Fields Too Large", "The request headers exceed the configured limit.");
        }

        var maxBody = routes.Get(routeConfig.RouteId).MaxRequestBodyBytes ?? _limits.MaxRequestBodyBytes;
        if (context.Request.ContentLength > maxBody)
        {
            return ProblemResponses.RejectAsync(context, StatusCodes.Status413PayloadTooLarge, RejectionReasons.Limits,
                "Payload Too Large", "The request body exceeds this route's limit.");
        }

        // A chunked body has no length up front: let the server stop reading at the limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = maxBody;
        }

        return NextAsync(context);
    }

    /// <summary>
    /// Any later step that reads the body (inspection, login hashing) can hit the server's limits;
    /// answer those as the sidecar's own rejection rather than letting the request fail bare.
    /// </summary>
    private async Task NextAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            var title = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload Too Large" : "Bad Request";
            await ProblemResponses.RejectAsync(context, ex.StatusCode, RejectionReasons.Limits, title, "The request broke a limit of this route.");
        }
    }

    private static long HeaderBytes(IHeaderDictionary headers)
    {
        long total = 0;
        foreach (var (name, values) in headers)
        {
            total += name.Length + 4;
            foreach (var value in values)
            {
                total += value?.Length ?? 0;
            }
        }

        return total;
    }
}
