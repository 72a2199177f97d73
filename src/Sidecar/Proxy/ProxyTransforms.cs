using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Analytics.Sidecar.Proxy;

/// <summary>What the sidecar changes on the way through YARP: credentials and spoofable identity headers out, the caller's identity and trace context in.</summary>
internal static class ProxyTransforms
{
    public static void Add(TransformBuilderContext transforms, string apiKeyHeader)
    {
        var strip = transforms.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.StripRequestHeaders.ToArray();
        var traceContext = transforms.Services.GetRequiredService<UpstreamTraceContext>();
        transforms.AddRequestTransform(context =>
        {
            traceContext.Inject(context.ProxyRequest);
            var headers = context.ProxyRequest.Headers;
            // The upstream never needs the API key secret: the sidecar consumed it.
            headers.Remove(apiKeyHeader);
            foreach (var name in strip)
            {
                headers.Remove(name);
            }

            if (context.HttpContext.Features.Get<RequestContext>()?.Caller is { } caller)
            {
                headers.TryAddWithoutValidation("X-Authenticated-Principal", caller.Id);
                headers.TryAddWithoutValidation("X-Authenticated-Kind", caller.Kind);
                if (caller.RolesHeader is { } roles)
                {
                    headers.TryAddWithoutValidation("X-Authenticated-Roles", roles);
                }
            }

            return ValueTask.CompletedTask;
        });
        transforms.AddResponseTransform(context =>
        {
            // bytes_out: a response with a Content-Length says it; only one without is counted,
            // by wrapping the body YARP is about to copy into.
            var response = context.HttpContext.Response;
            if (response.ContentLength is null && context.HttpContext.Features.Get<RequestContext>() is { } request)
            {
                var counting = new CountingStream(response.Body);
                request.ResponseBodyCounter = counting;
                response.Body = counting;
            }

            return ValueTask.CompletedTask;
        });
    }
}
