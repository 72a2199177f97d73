using System.Globalization;
using Analytics.Messaging;
using Analytics.Sidecar.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Enforcement;

/// <summary>
/// Whether the proxy may serve before the decisions in force are known
/// (<c>Sidecar:Decisions:UntilCaughtUp</c>). Closed at start in <c>refuse</c> mode: requests get
/// 503 with Retry-After. Opens once the feed has caught up, or after the maximum wait, loudly.
/// Once open it stays open: a later feed failure keeps the last known decisions in force.
/// </summary>
internal sealed partial class DecisionGate
{
    public const string Refuse = "refuse";
    public const string Serve = "serve";
    private const int RetryAfterSeconds = 5;

    private readonly ILogger<DecisionGate> _logger;
    private volatile bool _open;

    public DecisionGate(IOptions<SidecarDecisionOptions> options, ILogger<DecisionGate> logger)
    {
        _logger = logger;
        _open = options.Value.UntilCaughtUp == Serve;
        MaxWait = options.Value.MaxCatchUpWait;
    }

    public bool IsOpen => _open;

    public TimeSpan MaxWait { get; }

    /// <summary>The feed has read the stream up to where it stood at start.</summary>
    public void CaughtUp() => _open = true;

    /// <summary>The maximum wait is over: serve without knowing every decision, and say so.</summary>
    public void GiveUpWaiting()
    {
        if (_open)
        {
            return;
        }

        _open = true;
        LogServingUnprotected(_logger, MaxWait.TotalSeconds);
    }

    /// <summary>Writes the 503 a request gets while the gate is closed.</summary>
    public static Task RefuseAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return ProblemResponses.RejectAsync(context, StatusCodes.Status503ServiceUnavailable, RejectionReasons.Decision, "Service Unavailable",
            "The sidecar is still loading the decisions in force; retry shortly.");
    }

    [LoggerMessage(EventId = 1104, Level = LogLevel.Critical,
        Message = "The decisions stream has not caught up within {Seconds} s (Sidecar:Decisions:MaxCatchUpWait): serving WITHOUT every decision in force; blocks may be missing until it does")]
    private static partial void LogServingUnprotected(ILogger logger, double seconds);
}
