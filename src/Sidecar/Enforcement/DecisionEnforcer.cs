using Analytics.Messaging;
using Analytics.Sidecar.Pipeline;
using Analytics.Sidecar.Proxy;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Analytics.Sidecar.Enforcement;

/// <summary>
/// Steps 2 and 4: decisions on the client address and ranges (before authentication) and on the
/// principal (after it). Applies a verdict: 403 for an enforced block, the throttle noted for rate
/// limiting, simulated matches counted and logged. Each dimension's allow wins only within it.
/// </summary>
internal sealed partial class DecisionEnforcer(DecisionStore store, DecisionGate gate, EnforcementMetrics metrics, ILogger<DecisionEnforcer> logger)
{
    public DecisionStore Store => store;

    /// <summary>
    /// Decisions on the client IP and every range containing it. True when the request may go on.
    /// While the decisions in force are not yet known (see <see cref="DecisionGate"/>) every request gets 503.
    /// </summary>
    public ValueTask<bool> EnforceClientAsync(HttpContext context, RequestContext request)
    {
        if (!gate.IsOpen)
        {
            return RefuseUntilCaughtUpAsync(context);
        }

        return store.IsEmpty ? ValueTask.FromResult(true) : EnforceAsync(context, request, store.CheckIp(request.ClientIp, request.AggregationKey), network: true);
    }

    private static async ValueTask<bool> RefuseUntilCaughtUpAsync(HttpContext context)
    {
        await DecisionGate.RefuseAsync(context);
        return false;
    }

    /// <summary>Decisions on the authenticated principal (API key id or JWT subject). True when the request may go on.</summary>
    public ValueTask<bool> EnforcePrincipalAsync(HttpContext context, RequestContext request) =>
        request.Caller is not { } caller || store.IsEmpty
            ? ValueTask.FromResult(true)
            : EnforceAsync(context, request, store.CheckPrincipal(caller.Kind, caller.Id), network: false);

    /// <summary>
    /// Applies one dimension's verdict (the network, or the principal). Returns true when the
    /// request may go on. An allow cancels the blocks and throttles of its own dimension only:
    /// an allowlisted network does not launder a blocked credential, nor an allowlisted
    /// credential a blocked network (docs/security.md, "Decision precedence").
    /// </summary>
    public ValueTask<bool> EnforceAsync(HttpContext context, RequestContext request, EnforcementVerdict verdict, bool network)
    {
        // Nearly every request matches nothing.
        if (verdict.Allow is null && verdict.Block is null && verdict.Throttle is null && verdict.Simulated is null)
        {
            return ValueTask.FromResult(true);
        }

        return EnforceMatchAsync(context, request, verdict, network);
    }

    private async ValueTask<bool> EnforceMatchAsync(HttpContext context, RequestContext request, EnforcementVerdict verdict, bool network)
    {
        if (verdict.Simulated is { } simulated)
        {
            metrics.SimulatedMatch(simulated.Scope);
            LogSimulated(logger, simulated.Id, simulated.Scope, simulated.Action);
        }

        if (verdict.Allow is not null)
        {
            if (network)
            {
                request.Allowlisted = true;
            }

            return true;
        }

        if (verdict.Block is { } block)
        {
            request.DecisionId = block.Id;
            await ProblemResponses.RejectAsync(context, StatusCodes.Status403Forbidden, RejectionReasons.Decision, "Forbidden", "Requests from this client are blocked.");
            return false;
        }

        // The tightest throttle of both dimensions applies.
        if (verdict.Throttle is { } throttle && (request.Throttle is null || (throttle.Rate ?? 0) < (request.Throttle.Rate ?? 0)))
        {
            request.Throttle = throttle;
        }

        return true;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Simulated decision {DecisionId} matched ({Scope}, {Action}); not enforced")]
    private static partial void LogSimulated(ILogger logger, string decisionId, string scope, string action);
}
