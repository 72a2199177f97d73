using Analytics.Messaging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Analytics.Sidecar.Proxy;

/// <summary>
/// Rejects requests whose framing or header values two HTTP parsers could read differently —
/// the raw material of request smuggling — with 400 before anything else looks at them.
/// Measured over a raw socket (RequestNormalizationGuardTests): Kestrel itself answers 400 to
/// two Content-Length headers or "5, 5", to NUL or a bare CR in a header value and to %00 in the
/// target; it lets through Transfer-Encoding with Content-Length (moving the latter to
/// X-Content-Length) and "Transfer-Encoding: chunked" sent twice, which this guard refuses. The
/// other checks stay as cheap defence in depth should the server in front change. The sidecar
/// runs <see cref="Check"/> from its edge step, first of all; the middleware form is for hosts
/// that compose the steps one by one.
/// </summary>
internal sealed class RequestNormalizationGuard(RequestDelegate next, ILogger<RequestNormalizationGuard> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var reason = Check(context);
        if (reason is null)
        {
            return next(context);
        }

        ProxyLog.Ambiguous(logger, reason);
        return ProblemResponses.RejectAsync(context, StatusCodes.Status400BadRequest, RejectionReasons.Inspection, "Ambiguous request", reason);
    }

    internal static string? Check(HttpContext context) => Check(context, out _);

    /// <summary>The reason to refuse the request, or null; also sums the header bytes on the same pass, for the limits step.</summary>
    internal static string? Check(HttpContext context, out long headerBytes)
    {
        headerBytes = 0;
        var headers = context.Request.Headers;
        if (headers.ContentLength is not null || headers.TryGetValue("Content-Length", out _))
        {
            var values = headers["Content-Length"];
            if (values.Count > 1 || (values.Count == 1 && values[0]!.Contains(',', StringComparison.Ordinal)))
            {
                return "More than one Content-Length.";
            }
        }

        var te = headers.TransferEncoding;
        if (te.Count > 0)
        {
            // Kestrel keeps such a request but moves Content-Length to X-Content-Length; refuse it instead.
            if (headers.ContainsKey("Content-Length") || headers.ContainsKey("X-Content-Length"))
            {
                return "Both Transfer-Encoding and Content-Length.";
            }

            var joined = te.ToString();
            if (te.Count > 1 || !string.Equals(joined.Trim(), "chunked", StringComparison.OrdinalIgnoreCase) || joined != joined.Trim())
            {
                return "Transfer-Encoding other than a single 'chunked'.";
            }
        }

        foreach (var header in headers)
        {
            headerBytes += header.Key.Length + 4;
            foreach (var value in header.Value)
            {
                if (value is null)
                {
                    continue;
                }

                headerBytes += value.Length;
                if (value.AsSpan().IndexOfAny('\0', '\r', '\n') >= 0)
                {
                    return $"Control characters in the {header.Key} header.";
                }
            }
        }

        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (target.Contains("%00", StringComparison.Ordinal) || target.Contains('\0', StringComparison.Ordinal))
        {
            return "A NUL byte in the request target.";
        }

        return null;
    }
}
