namespace Analytics.Alerts.Templates;

/// <summary>
/// What every channel says about a notification, already worded: the Slack, email and text
/// templates only lay it out, so the content is the same everywhere and changes in one place.
/// </summary>
internal sealed record NotificationView
{
    /// <summary>E.g. <c>HIGH · brute_force</c>, or <c>HIGH · brute_force · update</c>.</summary>
    public required string Headline { get; init; }
    public required string Severity { get; init; }
    public required string Title { get; init; }
    public string Summary { get; init; } = "";
    /// <summary>"Would have blocked (simulated)" for dry-run decisions.</summary>
    public string? Label { get; init; }
    /// <summary>For updates and escalations: what changed since the last message.</summary>
    public string? Change { get; init; }
    public List<ViewFact> Facts { get; init; } = [];
    /// <summary>The evidence's explanation.</summary>
    public string? Explanation { get; init; }
    /// <summary>Measured values against their thresholds, top model features, the window.</summary>
    public List<string> Evidence { get; init; } = [];
    /// <summary>Action, expiry, enforced or simulated, id.</summary>
    public string? Decision { get; init; }
    /// <summary>The admin command that lifts the decision.</summary>
    public string? LiftCommand { get; init; }
    public string? KibanaUrl { get; init; }
    /// <summary>A digest's entities or a held-back summary's lines.</summary>
    public List<ViewLine> Lines { get; init; } = [];
    public string? LinesHeading { get; init; }
    /// <summary>Email subject; also Slack's notification text.</summary>
    public required string Subject { get; init; }
    /// <summary>The dedup key messages about the same alert share (email threads on it).</summary>
    public string? ThreadKey { get; init; }
    public required string NotificationId { get; init; }
}
