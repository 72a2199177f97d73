using Analytics.Messaging;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.RateLimiting;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Analytics.Sidecar.Pipeline;

/// <summary>
/// The first step of every request, routed or not: rents the request's context, refuses
/// ambiguous framing (request smuggling) with 400, registers the response hardening, and when
/// the response is done hands the context to the telemetry loop. It never awaits: the work at
/// the end runs as the response's completion callback, so this step adds no async frame.
/// </summary>
internal sealed class RequestEdgeMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RequestTelemetryWriter _telemetry;
    private readonly RequestRateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly ILogger<RequestEdgeMiddleware> _logger;
    private readonly RequestPathNormalizer _paths;
    private readonly string[] _removeHeaders;
    private readonly KeyValuePair<string, string>[] _addHeaders;
    // One delegate each for the middleware's lifetime, handed the request as state: no per-request closure.
    private readonly Func<object, Task> _harden;
    private readonly Func<object, Task> _complete;

    public RequestEdgeMiddleware(RequestDelegate next, RequestTelemetryWriter telemetry, RequestRateLimiter limiter, TimeProvider time,
        IOptions<ProxyOptions> options, ILogger<RequestEdgeMiddleware> logger)
    {
        _next = next;
        _telemetry = telemetry;
        _limiter = limiter;
        _time = time;
        _logger = logger;
        _paths = new RequestPathNormalizer(options.Value.EscapedSlashes);
        _removeHeaders = [.. options.Value.RemoveResponseHeaders];
        _addHeaders = [.. options.Value.SecurityHeaders];
        _harden = Harden;
        _complete = Complete;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = _telemetry.Rent();
        request.Begin(context, _time);
        context.Features.Set(request);
        var response = context.Response;
        response.OnStarting(_harden, context);
        response.OnCompleted(_complete, context);

        // Without a Content-Length only counting tells bytes_in.
        if (context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
        {
            var counting = new CountingStream(context.Request.Body);
            request.RequestBodyCounter = counting;
            context.Request.Body = counting;
        }

        var ambiguous = RequestNormalizationGuard.Check(context, out var headerBytes);
        request.HeaderBytes = headerBytes;
        if (ambiguous is not null)
        {
            ProxyLog.Ambiguous(_logger, ambiguous);
            return ProblemResponses.RejectAsync(context, StatusCodes.Status400BadRequest, RejectionReasons.Inspection, "Ambiguous request", ambiguous);
        }

        // Before routing, so the route matched is the path the upstream receives.
        return _paths.Apply(context) ?? _next(context);
    }

    private Task Harden(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        // Lets a caller quote the request to an operator, who finds it in telemetry by request_id.
        headers["X-Request-Id"] = context.TraceIdentifier;
        foreach (var name in _removeHeaders)
        {
            headers.Remove(name);
        }

        foreach (var (name, value) in _addHeaders)
        {
            if (!headers.ContainsKey(name))
            {
                headers[name] = value;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs once the response is done (Kestrel calls it also after an exception, with the 500 it sent).</summary>
    private Task Complete(object state)
    {
        var context = (HttpContext)state;
        var request = context.Features.Get<RequestContext>();
        if (request is null)
        {
            return Task.CompletedTask;
        }

        context.Features.Set<RequestContext>(null);
        var now = _time.GetTimestamp();
        var response = context.Response;
        var status = response.StatusCode;
        if (request.RejectedBy == RejectionReasons.None)
        {
            if (context.Features.Get<IForwarderErrorFeature>() is { Error: not ForwarderError.None })
            {
                request.RejectedBy = RejectionReasons.Upstream;
            }
            else if (status == StatusCodes.Status401Unauthorized && request.Auth.Outcome is AuthOutcomes.Anonymous or AuthOutcomes.Success)
            {
                // The upstream refused the credentials it checks itself (a login form): an
                // authentication failure all the same, and the signal brute-force detection needs.
                request.Auth = new AuthInfo(AuthOutcomes.Failure, "upstream");
            }
        }

        request.Status = status;
        request.RequestId = context.TraceIdentifier;
        request.DurationMs = _time.GetElapsedTime(request.StartedTimestamp, now).TotalMilliseconds;
        if (request.ForwardStartedTimestamp != 0)
        {
            request.UpstreamMs = _time.GetElapsedTime(request.ForwardStartedTimestamp, now).TotalMilliseconds;
        }

        if (request.RequestBodyCounter is { } counted)
        {
            request.BytesIn = counted.Count;
        }

        request.BytesOut = request.ResponseBodyCounter?.Count
            ?? (HttpMethods.IsHead(request.Method) ? 0 : response.ContentLength ?? 0);
        _limiter.Release(request);
        _telemetry.Complete(request);
        return Task.CompletedTask;
    }
}
