using Analytics.Messaging;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Analytics.Sidecar.Proxy;

/// <summary>
/// The last step before YARP forwards: times the upstream call, and turns a body that outgrew
/// the limit while streaming into a 413 instead of YARP's generic 400.
/// </summary>
internal sealed class UpstreamTimingMiddleware(RequestDelegate next, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        await next(context);
        var telemetry = RequestTelemetry.For(context);
        telemetry.UpstreamMs = time.GetElapsedTime(started).TotalMilliseconds;

        if (context.Features.Get<IForwarderErrorFeature>() is { Error: not ForwarderError.None } error
            && IsBodyTooLarge(error.Exception))
        {
            context.Features.Set<IForwarderErrorFeature>(null);
            if (context.Response.HasStarted)
            {
                telemetry.RejectedBy = RejectionReasons.Limits;
                return;
            }

            context.Response.Clear();
            await ProblemResponses.RejectAsync(context, StatusCodes.Status413PayloadTooLarge, RejectionReasons.Limits,
                "Payload Too Large", "The request body exceeds this route's limit.");
        }
    }

    private static bool IsBodyTooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }
}
