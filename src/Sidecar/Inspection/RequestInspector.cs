using System.Collections.Concurrent;
using Analytics.Inspection;
using Analytics.Inspection.Normalization;
using Analytics.Messaging;
using Analytics.Sidecar.Inspection.OpenApi;
using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.Routes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;

namespace Analytics.Sidecar.Inspection;

/// <summary>
/// Step 6: normalises and scores the request with the route's settings over the body prefix the
/// request path read, records the verdict, blocks in block mode with 403 problem+json, then
/// applies the cluster's OpenAPI document (404 for undocumented operations where configured,
/// 400 for parameter and body violations).
/// </summary>
internal sealed class RequestInspector(InspectionEngineHolder engine, InspectionMetrics metrics, ILogger<RequestInspector> logger)
{
    private readonly ObjectPool<FindingSet> _findings = new DefaultObjectPool<FindingSet>(new DefaultPooledObjectPolicy<FindingSet>());

    /// <summary>Whether inspection or validation needs the body on this route.</summary>
    public static bool ReadsBody(RoutePolicy route) => (route.Inspect || route.Validate) && route.InspectionBodyBytes > 0;

    /// <summary>True when the request may go on; otherwise the rejection has been written.</summary>
    public async ValueTask<bool> InspectAsync(HttpContext context, RequestContext request, RoutePolicy route, BodyPrefix body)
    {
        var (rawPath, rawQuery) = RawTarget(context);
        var truncated = body.Truncated;
        var input = new InspectionInput(context.Request.Method, rawPath, rawQuery, context.Request.Headers, body.Memory, context.Request.ContentType, truncated,
            context.Request.Protocol, context.Features.Get<IHttpRequestFeature>()?.RawTarget);
        string canonicalPath;
        if (route.Inspect)
        {
            var findings = _findings.Get();
            try
            {
                findings.Reset(route.Exclusions, route.Inspection.ParanoiaLevel);
                InspectionVerdict verdict;
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    verdict = engine.Engine.Inspect(input, findings, route.Inspection.UseModel, route.Inspection.OversizeBody);
                }
                catch (InvalidOperationException) when (!body.Memory.IsEmpty)
                {
                    // The JSON reader refuses to unescape a string into invalid UTF-16 (a lone
                    // surrogate such as "\ud800"). Forwarding what could not be inspected would be
                    // an evasion; a 500 would be wrong: the body is malformed, so 400.
                    metrics.UndecodableBody(route.Block);
                    InspectionLog.Undecodable(logger, route.RouteId);
                    await ProblemResponses.RejectAsync(context, StatusCodes.Status400BadRequest, RejectionReasons.Inspection,
                        "Bad Request", "The request body holds text that is not valid Unicode.");
                    return false;
                }

                canonicalPath = verdict.CanonicalPath;
                var over = verdict.Score >= route.Inspection.Threshold;
                metrics.Inspected(route.RouteId, route.Block, over, verdict.Rules, verdict.Categories, started);
                var action = !over ? "allow" : route.Block ? "block" : "detect";
                request.Inspection = new InspectionInfo
                {
                    Score = verdict.Score,
                    Action = action,
                    Rules = verdict.Rules,
                    Categories = verdict.Categories,
                    Truncated = truncated,
                };

                if (over)
                {
                    var rules = string.Join(',', verdict.Rules);
                    if (route.Block)
                    {
                        InspectionLog.Blocked(logger, route.RouteId, verdict.Score, rules);
                        // The rule ids (never the matched values) tell a legitimate client which exclusion to ask for.
                        await ProblemResponses.RejectAsync(context, StatusCodes.Status403Forbidden, RejectionReasons.Inspection,
                            "Request blocked", "The request matched this API's request inspection rules (their ids are in errors).", verdict.Rules);
                        return false;
                    }

                    InspectionLog.Detected(logger, route.RouteId, verdict.Score, rules);
                }
            }
            finally
            {
                _findings.Return(findings);
            }
        }
        else
        {
            var flags = DecodeFlags.None;
            canonicalPath = PathCanonicalizer.Canonicalize(rawPath, out _, ref flags);
        }

        if (route.OpenApi is { } document)
        {
            var operation = document.Match(context.Request.Method, canonicalPath);
            request.Catalog = operation is null ? "undocumented" : "documented";
            if (operation is not null)
            {
                request.PathTemplate ??= operation.Template;
            }

            if (operation is null && route.Inspection.RejectUndocumented)
            {
                await ProblemResponses.RejectAsync(context, StatusCodes.Status404NotFound, RejectionReasons.Validation,
                    "Not found", "The API description has no such operation.");
                return false;
            }

            if (operation is not null && route.Inspection.OpenApiValidation != InspectionModes.Off)
            {
                var errors = OpenApiValidator.Validate(operation, document, context.Request, canonicalPath, rawQuery, body.Span, truncated);
                if (errors.Count > 0 && route.Inspection.OpenApiValidation == InspectionModes.Block)
                {
                    await ProblemResponses.RejectAsync(context, StatusCodes.Status400BadRequest, RejectionReasons.Validation,
                        "Request does not match the API description", "One or more fields are invalid.", errors);
                    return false;
                }
            }
        }

        return true;
    }

    private static (string Path, string? Query) RawTarget(HttpContext context)
    {
        // Kestrel's Request.Path is already decoded and dot-segment-resolved; inspection needs what was sent.
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            var q = context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : null;
            return (context.Request.PathBase.Add(context.Request.Path).Value ?? "/", q);
        }

        var mark = raw.IndexOf('?', StringComparison.Ordinal);
        return mark < 0 ? (raw, null) : (raw[..mark], raw[(mark + 1)..]);
    }
}
