using Analytics.Messaging;
using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Routes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Analytics.Sidecar.Proxy;

/// <summary>
/// Step 1: header and body limits, checked by the sidecar itself (431, 413) so that those
/// rejections become telemetry like every other. Kestrel enforces twice these values as a backstop.
/// </summary>
internal sealed class RequestLimits(ListenerLimitsOptions limits)
{
    /// <summary>Null when the request is within limits; otherwise the rejection being written.</summary>
    public Task? Check(HttpContext context, RequestContext request, RoutePolicy route)
    {
        var headers = context.Request.Headers;
        // The edge summed the header bytes on its framing pass; hosts without the edge count here.
        var headerBytes = request.HeaderBytes >= 0 ? request.HeaderBytes : HeaderBytes(headers);
        if (headers.Count > limits.MaxRequestHeaderCount || headerBytes > limits.MaxRequestHeadersTotalBytes)
        {
            return ProblemResponses.RejectAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, RejectionReasons.Limits,
                "Request Header Fields Too Large", "The request headers exceed the configured limit.");
        }

        var maxBody = route.MaxRequestBodyBytes;
        var length = context.Request.ContentLength;
        if (length > maxBody)
        {
            return PayloadTooLarge(context);
        }

        // A chunked body has no length up front: let the server stop reading at the limit.
        if (length is null && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = maxBody;
        }

        return null;
    }

    public static Task PayloadTooLarge(HttpContext context) =>
        ProblemResponses.RejectAsync(context, StatusCodes.Status413PayloadTooLarge, RejectionReasons.Limits,
            "Payload Too Large", "The request body exceeds this route's limit.");

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
