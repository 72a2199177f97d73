using Analytics.ServiceDefaults.Hosting;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Proxy;

/// <summary>Ends a request with an RFC 7807 problem+json response and records which step rejected it.</summary>
internal static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    public static Task RejectAsync(HttpContext context, int status, string rejectedBy, string title, string detail, IReadOnlyList<string>? errors = null)
    {
        RequestTelemetry.For(context).RejectedBy = rejectedBy;
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        var body = new ProblemBody("about:blank", title, status, detail)
        {
            Instance = context.Request.Path.Value,
            RequestId = context.TraceIdentifier,
            Errors = errors,
        };
        return context.Response.WriteAsJsonAsync(body, ServiceDefaultsJsonContext.Default.ProblemBody, ContentType, context.RequestAborted);
    }
}
