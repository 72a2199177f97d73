namespace Analytics.Search.Report;

/// <summary>The numbers of one compliance report, as read from the documents of a date range.</summary>
public sealed record ComplianceReport
{
    public DateOnly From { get; init; }
    public DateOnly To { get; init; }
    public DateTimeOffset GeneratedAt { get; init; }

    public long Requests { get; init; }
    public long Rejected { get; init; }
    public long AuthenticationFailures { get; init; }
    public long InjectionFindings { get; init; }

    /// <summary>Requests and rejections per day.</summary>
    public IReadOnlyList<DailyTraffic> Daily { get; init; } = [];

    /// <summary>Rejections by the step that ended the request.</summary>
    public IReadOnlyList<Count> RejectionsByStep { get; init; } = [];

    /// <summary>Clients with the most authentication failures.</summary>
    public IReadOnlyList<Count> AuthenticationFailuresByClient { get; init; } = [];

    /// <summary>Decisions by their source (<c>rule:&lt;name&gt;</c>, <c>model:&lt;name&gt;</c>, <c>manual</c>).</summary>
    public IReadOnlyList<Count> DecisionsBySource { get; init; } = [];

    public long AutomaticDecisions { get; init; }
    public long ManualDecisions { get; init; }
    public long DecisionsRemoved { get; init; }

    public IReadOnlyList<DecisionRow> Decisions { get; init; } = [];

    /// <summary>Clients with the most rejected requests.</summary>
    public IReadOnlyList<Count> TopOffenders { get; init; } = [];

    /// <summary>Inspection findings by class (rule.category).</summary>
    public IReadOnlyList<Count> InjectionByClass { get; init; } = [];

    public IReadOnlyList<Count> AlertsByType { get; init; } = [];

    /// <summary>Shadow (undocumented, used) and zombie (documented, unused) APIs from the alerts, with undocumented traffic by path.</summary>
    public IReadOnlyList<ApiFinding> ApiFindings { get; init; } = [];

    public IReadOnlyList<Count> UndocumentedTraffic { get; init; } = [];

    public IReadOnlyList<AuditRow> AuditTrail { get; init; } = [];
}

/// <summary>A label and how often it occurred.</summary>
public sealed record Count(string Label, long Value);

public sealed record DailyTraffic(DateOnly Day, long Requests, long Rejected);

/// <summary>One decision as the report lists it; <paramref name="Link"/> opens Kibana Discover on its entity and window when the document carries one (<c>event.url</c>).</summary>
public sealed record DecisionRow(DateTimeOffset At, string Action, string Entity, string Source, string? Reason, string? Explanation, DateTimeOffset? Expires, bool Simulated, string? Link = null);

public sealed record ApiFinding(string Type, string Entity, string Title, long Count, DateTimeOffset LastSeen);

public sealed record AuditRow(DateTimeOffset At, string Who, string Change, string Entity, string? Reason);
