using Analytics.Messaging;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Telemetry;

/// <summary>
/// What each step of the request path learned about the request; the telemetry middleware
/// turns it into one <see cref="RequestEvent"/> when the response completes.
/// </summary>
internal sealed class RequestTelemetry
{
    public string? RouteId { get; set; }
    public string? PathTemplate { get; set; }
    public PrincipalInfo Principal { get; set; } = PrincipalInfo.Anonymous;
    public AuthInfo Auth { get; set; } = AuthInfo.NotEvaluated;
    public RateLimitInfo RateLimit { get; set; } = RateLimitInfo.NotEvaluated;
    public InspectionInfo? Inspection { get; set; }
    public string? Catalog { get; set; }
    public string? DecisionId { get; set; }
    public string? LoginHash { get; set; }
    public string RejectedBy { get; set; } = RejectionReasons.None;
    public double? UpstreamMs { get; set; }

    /// <summary>The canonical path inspection computed; telemetry falls back to the raw path.</summary>
    public string? NormalizedPath { get; set; }

    /// <summary>The request's telemetry record; created on first use so every step can write to it.</summary>
    public static RequestTelemetry For(HttpContext context)
    {
        var telemetry = context.Features.Get<RequestTelemetry>();
        if (telemetry is null)
        {
            telemetry = new RequestTelemetry();
            context.Features.Set(telemetry);
        }

        return telemetry;
    }
}
