using Analytics.Inspection;
using Analytics.Messaging;
using Analytics.Sidecar.Auth;
using Analytics.Sidecar.Enforcement;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.RateLimiting;
using Analytics.Sidecar.Routes;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Analytics.Sidecar.Pipeline;

/// <summary>
/// Steps 1 to 6 of the request path, fused into one step inside YARP's proxy pipeline. It
/// resolves the route's compiled policy once, then runs the checks in order, cheapest refusal
/// first: limits (a header count), decisions on the client (a flag while none are held),
/// authentication and route policy, decisions on the principal, rate limits, and, only on
/// routes that need it, one read of the body prefix for login hashing and inspection. A request
/// that passes without reading its body is handed to YARP's forwarder without an async frame.
/// </summary>
internal sealed class RouteStepsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RoutePolicies _policies;
    private readonly RequestLimits _limits;
    private readonly DecisionEnforcer _enforcer;
    private readonly RouteAuthenticator _auth;
    private readonly FailedAuthenticationLimiter _failedAuth;
    private readonly RequestRateLimiter _rateLimiter;
    private readonly LoginIdentifierHasher _loginHasher;
    private readonly RequestInspector _inspector;
    private readonly TimeProvider _time;

    public RouteStepsMiddleware(RequestDelegate next, RoutePolicies policies, DecisionEnforcer enforcer, RouteAuthenticator auth,
        FailedAuthenticationLimiter failedAuth, RequestRateLimiter rateLimiter, LoginIdentifierHasher loginHasher, RequestInspector inspector, TimeProvider time, IOptions<ProxyOptions> proxy)
    {
        _next = next;
        _policies = policies;
        _limits = new RequestLimits(proxy.Value.Limits);
        _enforcer = enforcer;
        _auth = auth;
        _failedAuth = failedAuth;
        _rateLimiter = rateLimiter;
        _loginHasher = loginHasher;
        _inspector = inspector;
        _time = time;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = RequestContext.For(context);
        var route = _policies.Resolve(context.GetReverseProxyFeature().Route.Config);
        request.Route = route;
        request.PathTemplate ??= route.PathTemplate;

        var checks = CheckAsync(context, request, route);
        if (!checks.IsCompletedSuccessfully)
        {
            return ForwardAfterAsync(checks, context, request);
        }

        return checks.Result ? Forward(context, request) : Task.CompletedTask;
    }

    /// <summary>Runs the checks; false when one of them has answered the request. Completes synchronously unless a step does I/O.</summary>
    private async ValueTask<bool> CheckAsync(HttpContext context, RequestContext request, RoutePolicy route)
    {
        if (_limits.Check(context, request, route) is { } overLimit)
        {
            await overLimit;
            return false;
        }

        if (!await _enforcer.EnforceClientAsync(context, request))
        {
            return false;
        }

        if (_failedAuth.Check(context, request) is { } guessing)
        {
            await guessing;
            return false;
        }

        if (!await _auth.AuthenticateAsync(context, request, route))
        {
            if (request.Auth.Outcome == AuthOutcomes.Failure)
            {
                _failedAuth.Failed(request);
            }

            return false;
        }

        if (!await _enforcer.EnforcePrincipalAsync(context, request))
        {
            return false;
        }

        if (_rateLimiter.Acquire(context, request, route) is { } limited)
        {
            await limited;
            return false;
        }

        var login = route.LoginField is not null && LoginIdentifierHasher.Applies(context.Request);
        var inspect = route.Inspect || route.OpenApi is not null;
        if (!login && !inspect)
        {
            return true;
        }

        try
        {
            var limit = Math.Max(login ? LoginIdentifierHasher.MaxBodyBytes : 0, RequestInspector.ReadsBody(route) ? route.InspectionBodyBytes : 0);
            var body = limit > 0 && BodyPrefix.HasBody(context.Request) ? await BodyPrefix.ReadAsync(context, limit) : BodyPrefix.None;
            if (login)
            {
                request.LoginHash = _loginHasher.Hash(body.Span, route.LoginField!);
            }

            if (inspect)
            {
                // Inspection sees the prefix it would have read itself, not the login step's longer one.
                var inspected = body.Length > route.InspectionBodyBytes
                    ? new BodyPrefix(body.Buffer, route.InspectionBodyBytes, true)
                    : body;
                return await _inspector.InspectAsync(context, request, route, RequestInspector.ReadsBody(route) ? inspected : BodyPrefix.None);
            }

            return true;
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // The body broke the server's limits while a step read it: the sidecar's own rejection.
            await RejectBadBodyAsync(context, ex);
            return false;
        }
    }

    private async Task ForwardAfterAsync(ValueTask<bool> checks, HttpContext context, RequestContext request)
    {
        if (await checks)
        {
            await Forward(context, request);
        }
    }

    private Task Forward(HttpContext context, RequestContext request)
    {
        request.ForwardStartedTimestamp = _time.GetTimestamp();
        return ForwardAsync(context);
    }

    /// <summary>
    /// Forwards, then answers what YARP leaves without a body: an upstream that refused, timed
    /// out or broke off gets a 502 or 504 problem+json with the request id, and a body that
    /// outgrew the limit while streaming a 413 instead of YARP's generic 400.
    /// </summary>
    private async Task ForwardAsync(HttpContext context)
    {
        await _next(context);
        if (context.Features.Get<IForwarderErrorFeature>() is not { Error: not ForwarderError.None } error)
        {
            return;
        }

        if (IsBodyTooLarge(error.Exception))
        {
            context.Features.Set<IForwarderErrorFeature>(null);
            if (context.Response.HasStarted)
            {
                RequestContext.For(context).RejectedBy = RejectionReasons.Limits;
                return;
            }

            context.Response.Clear();
            await RequestLimits.PayloadTooLarge(context);
            return;
        }

        if (!context.Response.HasStarted && context.Response.StatusCode is StatusCodes.Status502BadGateway or StatusCodes.Status504GatewayTimeout)
        {
            var timedOut = context.Response.StatusCode == StatusCodes.Status504GatewayTimeout;
            await ProblemResponses.RejectAsync(context, context.Response.StatusCode, RejectionReasons.Upstream,
                timedOut ? "Gateway Timeout" : "Bad Gateway",
                timedOut ? "The upstream service did not answer in time." : "The upstream service could not be reached or broke off the response.");
        }
    }

    private static Task RejectBadBodyAsync(HttpContext context, BadHttpRequestException ex)
    {
        context.Response.Clear();
        var title = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload Too Large" : "Bad Request";
        return ProblemResponses.RejectAsync(context, ex.StatusCode, RejectionReasons.Limits, title, "The request broke a limit of this route.");
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
