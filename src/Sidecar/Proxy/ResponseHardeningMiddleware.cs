using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Proxy;

/// <summary>Removes server banners, adds the configured security headers and the request id on every proxy response, proxied or generated here.</summary>
internal sealed class ResponseHardeningMiddleware
{
    private static readonly Func<object, Task> Harden = static state =>
    {
        var (response, middleware) = ((HttpResponse, ResponseHardeningMiddleware))state;
        var headers = response.Headers;
        // Lets a caller quote the request to an operator, who finds it in telemetry by request_id.
        headers["X-Request-Id"] = response.HttpContext.TraceIdentifier;
        foreach (var name in middleware._remove)
        {
            headers.Remove(name);
        }

        foreach (var (name, value) in middleware._add)
        {
            if (!headers.ContainsKey(name))
            {
                headers[name] = value;
            }
        }

        return Task.CompletedTask;
    };

    private readonly RequestDelegate _next;
    private readonly string[] _remove;
    private readonly KeyValuePair<string, string>[] _add;

    public ResponseHardeningMiddleware(RequestDelegate next, IOptions<ProxyOptions> options)
    {
        _next = next;
        _remove = [.. options.Value.RemoveResponseHeaders];
        _add = [.. options.Value.SecurityHeaders];
    }

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(Harden, (context.Response, this));
        return _next(context);
    }
}
