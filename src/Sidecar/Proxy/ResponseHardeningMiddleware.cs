using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Proxy;

/// <summary>Removes server banners and adds the configured security headers on every proxy response, proxied or generated here.</summary>
internal sealed class ResponseHardeningMiddleware
{
    private static readonly Func<object, Task> Harden = static state =>
    {
        var (response, middleware) = ((HttpResponse, ResponseHardeningMiddleware))state;
        var headers = response.Headers;
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
