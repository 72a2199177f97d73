namespace Analytics.Search.Query;

/// <summary>What to search: a KQL query over a time range, which fields to return and how many rows.</summary>
public sealed record SearchRequest
{
    public string Query { get; init; } = "";
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>Fields to return; empty means <see cref="DefaultFields"/>, <c>*</c> means all.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    public int Limit { get; init; } = 100;

    /// <summary>Streams to read (requests, decisions, alerts); empty means all three.</summary>
    public IReadOnlyList<string> Streams { get; init; } = [];

    public static readonly IReadOnlyList<string> DefaultFields =
    [
        "@timestamp", "event.dataset", "event.action", "event.outcome", "source.ip", "user.id",
        "http.request.method", "url.path", "http.response.status_code", "rule.id", "message",
    ];
}
