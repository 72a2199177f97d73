using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Proxy;

/// <summary>Removes server banners, adds the configured security headers and the request id on every proxy response, proxied or generated here.</summary>
internal sealed class ResponseHardeningMiddleware
{
    private readonly RequestDelegate _next;
    private readonly string[] _remove;
    private readonly KeyValuePair<string, string>[] _add;
    // One delegate for the middleware's lifetime, handed the request as state: no per-request closure.
    private readonly Func<object, Task> _harden;

    public ResponseHardeningMiddleware(RequestDelegate next, IOptions<ProxyOptions> options)
    {
        _next = next;
        _remove = [.. options.Value.RemoveResponseHeaders];
        _add = [.. options.Value.SecurityHeaders];
        _harden = Harden;
    }

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(_harden, context);
        return _next(context);
    }

    private Task Harden(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        // Lets a caller quote the request to an operator, who finds it in telemetry by request_id.
        headers["X-Request-Id"] = context.TraceIdentifier;
        foreach (var name in _remove)
        {
            headers.Remove(name);
        }

        foreach (var (name, value) in _add)
        {
            if (!headers.ContainsKey(name))
            {
                headers[name] = value;
            }
        }

        return Task.CompletedTask;
    }
}
