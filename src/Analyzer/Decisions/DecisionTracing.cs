using System.Diagnostics;
using Analytics.Detection.Decisions;
using Analytics.ServiceDefaults.Telemetry;

namespace Analytics.Analyzer.Decisions;

/// <summary>
/// The analyzer's spans (activity source <c>Analytics.Analyzer.Decisions</c>, recorded by the
/// tracer ServiceDefaults sets up when OTLP is configured): one per published outcome, linked to
/// the traces of the requests in its evidence, tagged with the detector, the decision's scope,
/// action and source and the entity's kind, never its value. Started where an outcome is
/// published, not per event; without a listener it costs one check.
/// </summary>
internal static class DecisionTracing
{
    public const string SourceName = "Analytics.Analyzer.Decisions";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the span of <paramref name="outcome"/>; null when nothing records spans.</summary>
    public static Activity? Start(AnalyzerOutcome outcome)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var decision = outcome.Decision;
        var alert = outcome.Alert;
        var links = TraceLinks.To(decision?.Evidence?.TraceId, alert.Evidence?.TraceId);
        var activity = Source.StartActivity(decision is null ? "analytics.alert" : "analytics.decision", ActivityKind.Internal,
            parentContext: default, tags: null, links: links);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("analytics.detector", outcome.Detector);
        activity.SetTag("analytics.entity.kind", EntityKind(decision?.Scope, alert.Entity));
        activity.SetTag("analytics.alert.type", alert.Type);
        activity.SetTag("analytics.alert.severity", alert.Severity);
        if (decision is not null)
        {
            activity.SetTag("analytics.decision.id", decision.Id);
            activity.SetTag("analytics.decision.scope", decision.Scope);
            activity.SetTag("analytics.decision.action", decision.Action);
            activity.SetTag("analytics.decision.source", decision.Source);
            activity.SetTag("analytics.decision.simulated", decision.Simulated);
        }

        return activity;
    }

    /// <summary>Records that the validator refused the decision, so it was not published.</summary>
    public static void Refused(Activity? activity, string reason)
    {
        activity?.SetTag("analytics.decision.refused", reason);
        activity?.SetStatus(ActivityStatusCode.Error, "decision refused: " + reason);
    }

    // The scope of the decision, else the prefix of the alert's "kind:value" entity.
    private static string EntityKind(string? scope, string entity)
    {
        if (scope is { Length: > 0 })
        {
            return scope;
        }

        var colon = entity.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? entity[..colon] : "unknown";
    }
}
