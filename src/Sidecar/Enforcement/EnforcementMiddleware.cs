using System.Net;
using Analytics.Messaging;
using Analytics.Sidecar.Auth;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Analytics.Sidecar.Enforcement;

/// <summary>Per-request enforcement state that later steps (rate limiting) read.</summary>
internal sealed class EnforcementState
{
    /// <summary>An allowlist decision matched; later blocks and throttles do not apply.</summary>
    public bool Allowlisted { get; set; }

    /// <summary>The tightest throttle decision that matched, if any.</summary>
    public Decision? Throttle { get; set; }

    public static EnforcementState For(HttpContext context)
    {
        var state = context.Features.Get<EnforcementState>();
        if (state is null)
        {
            state = new EnforcementState();
            context.Features.Set(state);
        }

        return state;
    }
}

/// <summary>Applies a verdict: 403 for an enforced block, throttle noted for rate limiting, simulated matches counted and logged.</summary>
internal sealed partial class DecisionEnforcer(DecisionStore store, SidecarStats stats, ILogger<DecisionEnforcer> logger)
{
    public DecisionStore Store => store;

    /// <summary>Returns true when the request may go on.</summary>
    public ValueTask<bool> EnforceAsync(HttpContext context, EnforcementVerdict verdict)
    {
        // Nearly every request matches nothing: answer without touching the request's features.
        if (verdict.Allow is null && verdict.Block is null && verdict.Throttle is null && verdict.Simulated is null)
        {
            return ValueTask.FromResult(true);
        }

        return EnforceMatchAsync(context, verdict);
    }

    private async ValueTask<bool> EnforceMatchAsync(HttpContext context, EnforcementVerdict verdict)
    {
        var state = EnforcementState.For(context);
        if (verdict.Simulated is { } simulated)
        {
            stats.SimulatedMatch();
            LogSimulated(logger, simulated.Id, simulated.Scope, simulated.Action);
        }

        if (verdict.Allow is not null)
        {
            state.Allowlisted = true;
            state.Throttle = null;
            return true;
        }

        if (state.Allowlisted)
        {
            return true;
        }

        if (verdict.Block is { } block)
        {
            RequestTelemetry.For(context).DecisionId = block.Id;
            await ProblemResponses.RejectAsync(context, StatusCodes.Status403Forbidden, RejectionReasons.Decision, "Forbidden", "Requests from this client are blocked.");
            return false;
        }

        if (verdict.Throttle is { } throttle && (state.Throttle is null || (throttle.Rate ?? 0) < (state.Throttle.Rate ?? 0)))
        {
            state.Throttle = throttle;
        }

        return true;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Simulated decision {DecisionId} matched ({Scope}, {Action}); not enforced")]
    private static partial void LogSimulated(ILogger logger, string decisionId, string scope, string action);
}

/// <summary>Step 2: decisions on the client IP and the ranges containing it, before authentication.</summary>
internal sealed class IpEnforcementMiddleware(RequestDelegate next, DecisionEnforcer enforcer)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (await enforcer.EnforceAsync(context, enforcer.Store.CheckIp(ip)))
        {
            await next(context);
        }
    }
}

/// <summary>Step 4: decisions on the authenticated principal (API key id or JWT subject).</summary>
internal sealed class PrincipalEnforcementMiddleware(RequestDelegate next, DecisionEnforcer enforcer)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<Caller>() is { } caller
            && !await enforcer.EnforceAsync(context, enforcer.Store.CheckPrincipal(caller.Kind, caller.Id)))
        {
            return;
        }

        await next(context);
    }
}
