using Analytics.Messaging;

namespace Analytics.Sidecar.Enforcement;

/// <summary>
/// How the sidecar takes decisions (<c>Sidecar:Decisions</c>): the rules and signing key every
/// decision from the stream or the admin API must pass, and what to do until the stream has
/// been read up to its end.
/// </summary>
public sealed class SidecarDecisionOptions : DecisionRules
{
    public const string Section = "Sidecar:Decisions";

    /// <summary>
    /// <c>refuse</c> (default): 503 with Retry-After until the decisions in force are known, at
    /// most <see cref="MaxCatchUpWait"/>; <c>serve</c>: forward at once (fail open).
    /// </summary>
    public string UntilCaughtUp { get; set; } = DecisionGate.Refuse;

    /// <summary>After this long without catching up the sidecar serves anyway and logs it as critical.</summary>
    public TimeSpan MaxCatchUpWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest pause between attempts to re-open a failed decisions feed (it doubles from one second).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public static void Validate(SidecarDecisionOptions options, Analytics.ServiceDefaults.Options.ValidationErrors errors)
    {
        DecisionRules.Validate(options, errors);
        errors.AddIf(options.UntilCaughtUp is not (DecisionGate.Refuse or DecisionGate.Serve), "UntilCaughtUp",
            $"'{options.UntilCaughtUp}' is not one of {DecisionGate.Refuse}, {DecisionGate.Serve}");
        errors.AddIf(options.MaxCatchUpWait <= TimeSpan.Zero || options.MaxCatchUpWait > TimeSpan.FromHours(1), "MaxCatchUpWait", "must be between 0 and 1 hour");
        errors.AddIf(options.MaxRetryDelay < TimeSpan.FromSeconds(1) || options.MaxRetryDelay > TimeSpan.FromMinutes(10), "MaxRetryDelay", "must be between 1 second and 10 minutes");
    }
}
