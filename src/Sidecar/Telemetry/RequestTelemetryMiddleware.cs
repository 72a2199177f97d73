using System.Diagnostics;
using System.Net;
using Analytics.Messaging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Analytics.Sidecar.Telemetry;

/// <summary>
/// Step 8, wrapped around everything else: one <see cref="RequestEvent"/> per request, also for
/// the ones an inner step rejected, handed to the requests stream without waiting.
/// </summary>
internal sealed class RequestTelemetryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IStreamProducer<RequestEvent> _producer;
    private readonly SidecarStats _stats;
    private readonly TimeProvider _time;
    private readonly TelemetryOptions _options;
    private readonly string _instance;

    public RequestTelemetryMiddleware(RequestDelegate next, IStreamTransport transport, SidecarStats stats, TimeProvider time, IOptions<TelemetryOptions> options)
    {
        _next = next;
        _producer = transport.GetProducer(Streams.Requests);
        _stats = stats;
        _time = time;
        _options = options.Value;
        _instance = options.Value.Instance ?? Environment.MachineName;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var started = _time.GetTimestamp();
        var timestamp = _time.GetUtcNow();
        var telemetry = RequestTelemetry.For(context);
        var responseBody = new CountingStream(context.Response.Body);
        context.Response.Body = responseBody;
        CountingStream? requestBody = null;
        if (context.Request.ContentLength is null
            && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
        {
            requestBody = new CountingStream(context.Request.Body);
            context.Request.Body = requestBody;
        }

        var failed = false;
        try
        {
            await _next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            Complete(context, telemetry, status, timestamp, _time.GetElapsedTime(started), requestBody, responseBody);
        }
    }

    private void Complete(HttpContext context, RequestTelemetry telemetry, int status, DateTimeOffset timestamp, TimeSpan elapsed, CountingStream? requestBody, CountingStream responseBody)
    {
        if (telemetry.RejectedBy == RejectionReasons.None)
        {
            if (context.Features.Get<IForwarderErrorFeature>() is { Error: not ForwarderError.None })
            {
                telemetry.RejectedBy = RejectionReasons.Upstream;
            }
            else if (status == StatusCodes.Status401Unauthorized && telemetry.Auth.Outcome is AuthOutcomes.Anonymous or AuthOutcomes.Success)
            {
                // The upstream refused the credentials it checks itself (a login form): an
                // authentication failure all the same, and the signal brute-force detection needs.
                telemetry.Auth = new AuthInfo(AuthOutcomes.Failure, "upstream");
            }
        }

        var request = context.Request;
        var ip = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        var clientIp = ip.ToString();
        var evt = new RequestEvent
        {
            Timestamp = timestamp,
            RequestId = context.TraceIdentifier,
            TraceId = Activity.Current?.TraceId.ToHexString(),
            Instance = _instance,
            Service = _options.Service,
            ClientIp = clientIp,
            Principal = telemetry.Principal,
            Method = request.Method,
            RouteId = telemetry.RouteId,
            PathTemplate = telemetry.PathTemplate,
            Path = Truncate(telemetry.NormalizedPath ?? request.Path.Value ?? "/", _options.MaxPathLength),
            Status = status,
            BytesIn = request.ContentLength ?? requestBody?.Count ?? 0,
            BytesOut = responseBody.Count,
            DurationMs = elapsed.TotalMilliseconds,
            UpstreamMs = telemetry.UpstreamMs,
            UserAgent = request.Headers.UserAgent.Count > 0 ? Truncate(request.Headers.UserAgent.ToString(), _options.MaxUserAgentLength) : null,
            Auth = telemetry.Auth,
            RateLimit = telemetry.RateLimit,
            Inspection = telemetry.Inspection,
            Catalog = telemetry.Catalog,
            DecisionId = telemetry.DecisionId,
            LoginHash = telemetry.LoginHash,
            RejectedBy = telemetry.RejectedBy,
        };

        _stats.Request(telemetry.RejectedBy);
        _producer.TryPublish(clientIp, evt);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
