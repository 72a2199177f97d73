using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection;

/// <summary>One detector's verdict on one entity, before allowlist, caps and escalation apply.</summary>
internal sealed record DetectorHit
{
    /// <summary>Detector name, e.g. <c>brute_force</c>; the decision source is <c>rule:&lt;name&gt;</c> or <c>model:&lt;name&gt;</c>.</summary>
    public required string Detector { get; init; }

    public required string Source { get; init; }

    /// <summary>One of <see cref="AlertTypes"/>.</summary>
    public required string AlertType { get; init; }

    public required EntityScope Scope { get; init; }

    public required string Value { get; init; }

    public required RuleOptions Rule { get; init; }

    public required Evidence Evidence { get; init; }

    public required string Title { get; init; }

    public double? Score { get; init; }

    /// <summary>When the detector judges an entity it cannot block (a route), only an alert is raised.</summary>
    public bool AlertOnly { get; init; }
}
