using System.Text.Json;
using Analytics.ServiceDefaults.Hosting;
using Analytics.Sidecar.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Proxy;

/// <summary>Ends a request with an RFC 7807 problem+json response and records which step rejected it.</summary>
internal static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    public static Task RejectAsync(HttpContext context, int status, string rejectedBy, string title, string detail, IReadOnlyList<string>? errors = null)
    {
        RequestContext.For(context).RejectedBy = rejectedBy;
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
        // Serialised whole so the response carries a Content-Length, which is also its bytes_out.
        var json = JsonSerializer.SerializeToUtf8Bytes(body, ServiceDefaultsJsonContext.Default.ProblemBody);
        context.Response.ContentType = ContentType;
        context.Response.ContentLength = json.Length;
        return context.Response.Body.WriteAsync(json, context.RequestAborted).AsTask();
    }
}
