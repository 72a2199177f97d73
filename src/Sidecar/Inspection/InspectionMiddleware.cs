using System.Buffers;
using System.Collections.Concurrent;
using Analytics.Messaging;
using Analytics.Sidecar.Inspection.OpenApi;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.Routes;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Analytics.Sidecar.Inspection;

/// <summary>
/// Step 6 of the request path, inside YARP's proxy pipeline: reads at most the route's body
/// limit (the rest streams on unscanned), normalises and scores the request, records the
/// verdict in telemetry, blocks in block mode with 403 problem+json, then applies the
/// cluster's OpenAPI document (404 for undocumented operations where configured, 400 for
/// parameter and body violations).
/// </summary>
internal sealed class InspectionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IRouteOptionsProvider _routes;
    private readonly InspectionEngineHolder _engine;
    private readonly OpenApiRegistry _openApi;
    private readonly IOptionsMonitor<InspectionOptions> _options;
    private readonly ILogger<InspectionMiddleware> _logger;
    private readonly ObjectPool<FindingSet> _findings = new DefaultObjectPool<FindingSet>(new DefaultPooledObjectPolicy<FindingSet>());
    private readonly ConcurrentDictionary<string, (RouteInspectionOptions Options, InspectionExclusions Exclusions)> _exclusions = new(StringComparer.Ordinal);

    public InspectionMiddleware(RequestDelegate next, IRouteOptionsProvider routes, InspectionEngineHolder engine, OpenApiRegistry openApi,
        IOptionsMonitor<InspectionOptions> options, ILogger<InspectionMiddleware> logger)
    {
        _next = next;
        _routes = routes;
        _engine = engine;
        _openApi = openApi;
        _options = options;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.Features.Get<IReverseProxyFeature>();
        var routeId = proxy?.Route.Config.RouteId ?? "";
        var clusterId = proxy?.Cluster?.Config.ClusterId;
        var route = _routes.Get(routeId).Inspection;
        var document = clusterId is null ? null : _openApi.Get(clusterId);
        var inspect = route.Mode != InspectionModes.Off;
        var validate = document is not null && (route.OpenApiValidation != InspectionModes.Off || route.RejectUndocumented);
        if (!inspect && document is null)
        {
            await _next(context);
            return;
        }

        var telemetry = RequestTelemetry.For(context);
        var (rawPath, rawQuery) = RawTarget(context);
        var maxBody = route.MaxBodyBytes ?? _options.CurrentValue.MaxBodyBytes;
        byte[]? buffer = null;
        var length = 0;
        var truncated = false;
        if ((inspect || validate) && HasBody(context.Request) && maxBody > 0)
        {
            (buffer, length, truncated) = await ReadPrefixAsync(context, maxBody);
        }

        var body = buffer is null ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(0, length);
        var input = new InspectionInput(context.Request.Method, rawPath, rawQuery, context.Request.Headers, body, context.Request.ContentType, truncated,
            context.Request.Protocol, context.Features.Get<IHttpRequestFeature>()?.RawTarget);
        string canonicalPath;
        if (inspect)
        {
            var findings = _findings.Get();
            try
            {
                findings.Reset(Exclusions(routeId, route), route.ParanoiaLevel);
                var verdict = _engine.Engine.Inspect(input, findings, route.UseModel, route.OversizeBody);
                canonicalPath = verdict.CanonicalPath;
                var over = verdict.Score >= route.Threshold;
                var action = !over ? "allow" : route.Mode == InspectionModes.Block ? "block" : "detect";
                telemetry.Inspection = new InspectionInfo
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
                    if (action == "block")
                    {
                        InspectionLog.Blocked(_logger, routeId, verdict.Score, rules);
                        // The rule ids (never the matched values) tell a legitimate client which exclusion to ask for.
                        await ProblemResponses.RejectAsync(context, StatusCodes.Status403Forbidden, RejectionReasons.Inspection,
                            "Request blocked", "The request matched this API's request inspection rules (their ids are in errors).", verdict.Rules);
                        return;
                    }

                    InspectionLog.Detected(_logger, routeId, verdict.Score, rules);
                }
            }
            finally
            {
                _findings.Return(findings);
            }
        }
        else
        {
            var flags = Normalization.DecodeFlags.None;
            canonicalPath = Normalization.PathCanonicalizer.Canonicalize(rawPath, out _, ref flags);
        }

        if (document is not null)
        {
            var operation = document.Match(context.Request.Method, canonicalPath);
            telemetry.Catalog = operation is null ? "undocumented" : "documented";
            if (operation is not null)
            {
                telemetry.PathTemplate ??= operation.Template;
            }

            if (operation is null && route.RejectUndocumented)
            {
                await ProblemResponses.RejectAsync(context, StatusCodes.Status404NotFound, RejectionReasons.Validation,
                    "Not found", "The API description has no such operation.");
                return;
            }

            if (operation is not null && route.OpenApiValidation != InspectionModes.Off)
            {
                var errors = OpenApiValidator.Validate(operation, document, context.Request, canonicalPath, rawQuery, body.Span, truncated);
                if (errors.Count > 0 && route.OpenApiValidation == InspectionModes.Block)
                {
                    await ProblemResponses.RejectAsync(context, StatusCodes.Status400BadRequest, RejectionReasons.Validation,
                        "Request does not match the API description", "One or more fields are invalid.", errors);
                    return;
                }
            }
        }

        await _next(context);
    }

    private InspectionExclusions? Exclusions(string routeId, RouteInspectionOptions route)
    {
        if (route.DisabledRules.Count == 0 && route.Exclusions.Count == 0)
        {
            return null;
        }

        // Compiled once per options instance: a reload brings a new instance and a recompile.
        if (_exclusions.TryGetValue(routeId, out var cached) && ReferenceEquals(cached.Options, route))
        {
            return cached.Exclusions;
        }

        var compiled = new InspectionExclusions(route);
        _exclusions[routeId] = (route, compiled);
        return compiled;
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

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0)
        || (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    /// <summary>Reads up to <paramref name="limit"/> bytes into a pooled buffer and puts it back in front of the rest of the body.</summary>
    private static async Task<(byte[] Buffer, int Length, bool Truncated)> ReadPrefixAsync(HttpContext context, int limit)
    {
        var request = context.Request;
        var size = request.ContentLength is { } cl ? (int)Math.Min(cl, limit) : limit;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        var length = 0;
        var original = request.Body;
        while (length < size)
        {
            var n = await original.ReadAsync(buffer.AsMemory(length, size - length), context.RequestAborted);
            if (n == 0)
            {
                break;
            }

            length += n;
        }

        // With a Content-Length the rest is known; for a chunked body that filled the limit, more may
        // follow and cannot be known without reading it, so it is reported as truncated.
        var truncated = request.ContentLength is { } total ? total > length : length == limit;

        var stream = new BodyPrefixStream(buffer, length, original);
        context.Response.RegisterForDispose(stream);
        request.Body = stream;
        return (buffer, length, truncated);
    }
}

/// <summary>The engine with the model loaded once at start-up, shared by every request.</summary>
internal sealed class InspectionEngineHolder
{
    public InspectionEngineHolder(IOptions<InspectionOptions> options, Microsoft.Extensions.Hosting.IHostEnvironment environment, ILogger<InspectionEngineHolder> logger)
    {
        var o = options.Value;
        Model.LearnedScorer? model = null;
        if (!string.IsNullOrWhiteSpace(o.ModelPath))
        {
            var path = ResolvePath(o.ModelPath, environment.ContentRootPath);
            if (path is null)
            {
                InspectionLog.ModelMissing(logger, o.ModelPath);
            }
            else
            {
                var card = Model.ModelCard.TryRead(path);
                model = Model.LearnedScorer.Load(path, o.ModelThreshold ?? card?.Threshold ?? 0.5);
                InspectionLog.ModelLoaded(logger, path, o.ModelThreshold ?? model.Threshold);
            }
        }

        Engine = new InspectionEngine(o, model);
    }

    public InspectionEngine Engine { get; }

    /// <summary>Absolute, or relative to the content root, or to the application directory (where the build copies models/).</summary>
    internal static string? ResolvePath(string path, string contentRoot)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : null;
        }

        foreach (var root in (ReadOnlySpan<string>)[contentRoot, AppContext.BaseDirectory])
        {
            var candidate = Path.Combine(root, path);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
