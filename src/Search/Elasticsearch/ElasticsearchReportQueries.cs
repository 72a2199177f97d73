using Analytics.Search.Ecs;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Aggregations;
using Elastic.Clients.Elasticsearch.Core.Search;
using Elastic.Clients.Elasticsearch.QueryDsl;
using EsQuery = Elastic.Clients.Elasticsearch.QueryDsl.Query;

namespace Analytics.Search.Elasticsearch;

/// <summary>
/// The searches behind a compliance report, one per question group, each over one of our data
/// streams and limited to the report's time range. They ask what <see cref="Report.ReportBuilder"/>
/// asks DuckDB, as aggregations (the decision and audit lists, which are rows, as sorted hits).
/// </summary>
internal static class ElasticsearchReportQueries
{
    public const int DecisionRowLimit = 500;
    public const int AuditRowLimit = 1000;

    /// <summary>The fields a decision row or an audit row reads from <c>_source</c>.</summary>
    public static readonly string[] RowFields =
    [
        "@timestamp", "event.action", "event.reason", "event.url", "user.name",
        "analytics.decision.action", "analytics.decision.key", "analytics.decision.source",
        "analytics.decision.expires", "analytics.decision.simulated", "analytics.evidence.explanation",
    ];

    /// <summary>Traffic: totals, per day, rejections, authentication failures, injection classes, undocumented paths.</summary>
    public static SearchRequest Requests(string @namespace, DateTimeOffset start, DateTimeOffset end) => new(SearchStream.Requests.DataStream(@namespace))
    {
        // The requests stream exists wherever the indexer ran: its absence is an error (404), not an empty report.
        IgnoreUnavailable = false,
        Size = 0,
        TrackTotalHits = new TrackHits(true),
        Query = InRange(start, end),
        Aggregations = new Dictionary<string, Aggregation>
        {
            ["daily"] = new()
            {
                DateHistogram = new DateHistogramAggregation { Field = "@timestamp", CalendarInterval = CalendarInterval.Day, TimeZone = "UTC", MinDocCount = 1 },
                Aggregations = new Dictionary<string, Aggregation> { ["rejected"] = new() { Filter = Rejected() } },
            },
            ["rejected"] = new()
            {
                Filter = Rejected(),
                Aggregations = new Dictionary<string, Aggregation>
                {
                    ["by_step"] = Terms("analytics.rejected_by", 50),
                    ["offenders"] = Terms("source.ip", 10),
                },
            },
            ["auth_failures"] = new()
            {
                Filter = new TermQuery("analytics.auth.outcome", "failure"),
                Aggregations = new Dictionary<string, Aggregation> { ["by_client"] = Terms("source.ip", 10) },
            },
            ["injection"] = new() { Filter = new TermQuery("event.category", "intrusion_detection") },
            ["by_class"] = Terms("rule.category", 100),
            ["undocumented"] = new()
            {
                Filter = new TermQuery("analytics.catalog", "undocumented"),
                Aggregations = new Dictionary<string, Aggregation>
                {
                    // The route template when the request matched one, the path otherwise (DuckDB's coalesce).
                    ["by_route"] = Terms("analytics.route.template", 20),
                    ["no_route"] = new()
                    {
                        Filter = new BoolQuery { MustNot = [new ExistsQuery("analytics.route.template")] },
                        Aggregations = new Dictionary<string, Aggregation> { ["by_path"] = Terms("url.path", 20) },
                    },
                },
            },
        },
    };

    /// <summary>Decisions by source (automatic and manual) and removals.</summary>
    public static SearchRequest Decisions(string @namespace, DateTimeOffset start, DateTimeOffset end) => new(SearchStream.Decisions.DataStream(@namespace))
    {
        // No decision yet means no data stream yet: an empty section, not an error.
        IgnoreUnavailable = true,
        AllowNoIndices = true,
        Size = 0,
        Query = InRange(start, end),
        Aggregations = new Dictionary<string, Aggregation>
        {
            ["decisions"] = new()
            {
                Filter = new ExistsQuery("analytics.decision.id"),
                Aggregations = new Dictionary<string, Aggregation>
                {
                    ["by_source"] = Terms("analytics.decision.source", 100),
                    // Counted on its own, so the split automatic / manual is exact however many sources there are.
                    ["manual"] = new() { Filter = new TermQuery("analytics.decision.source", "manual") },
                },
            },
            ["removed"] = new() { Filter = new TermQuery("event.action", "decision-removed") },
        },
    };

    /// <summary>The decisions themselves, oldest first, with their evidence.</summary>
    public static SearchRequest DecisionRows(string @namespace, DateTimeOffset start, DateTimeOffset end) =>
        Rows(@namespace, InRange(start, end, new ExistsQuery("analytics.decision.id")), DecisionRowLimit);

    /// <summary>Admin changes (manual decisions, allowlist entries), oldest first.</summary>
    public static SearchRequest AuditRows(string @namespace, DateTimeOffset start, DateTimeOffset end) =>
        Rows(@namespace, InRange(start, end, new TermQuery("event.category", "configuration"), new ExistsQuery("user.name")), AuditRowLimit);

    /// <summary>Alerts by type (distinct alerts, not their re-sent versions) and the shadow and zombie APIs.</summary>
    public static SearchRequest Alerts(string @namespace, DateTimeOffset start, DateTimeOffset end) => new(SearchStream.Alerts.DataStream(@namespace))
    {
        IgnoreUnavailable = true,
        AllowNoIndices = true,
        Size = 0,
        Query = InRange(start, end),
        Aggregations = new Dictionary<string, Aggregation>
        {
            ["by_type"] = new()
            {
                Terms = new TermsAggregation { Field = "analytics.alert.type", Size = 100 },
                // Below the threshold the count is exact.
                Aggregations = new Dictionary<string, Aggregation> { ["alerts"] = new() { Cardinality = new CardinalityAggregation { Field = "analytics.alert.dedup_key", PrecisionThreshold = 40_000 } } },
            },
            ["apis"] = new()
            {
                Filter = new TermsQuery("analytics.alert.type", new TermsQueryField([Analytics.Messaging.AlertTypes.ShadowApi, Analytics.Messaging.AlertTypes.ZombieApi])),
                Aggregations = new Dictionary<string, Aggregation>
                {
                    ["by_type"] = new()
                    {
                        Terms = new TermsAggregation { Field = "analytics.alert.type", Size = 2 },
                        Aggregations = new Dictionary<string, Aggregation>
                        {
                            ["by_entity"] = new()
                            {
                                Terms = new TermsAggregation { Field = "analytics.alert.entity", Size = 1000 },
                                Aggregations = new Dictionary<string, Aggregation>
                                {
                                    ["count"] = new() { Max = new MaxAggregation { Field = "analytics.alert.count" } },
                                    ["last_seen"] = new() { Max = new MaxAggregation { Field = "@timestamp" } },
                                    // The title of the latest version: the one title bucket with the latest time.
                                    ["title"] = new()
                                    {
                                        Terms = new TermsAggregation { Field = "analytics.alert.title", Size = 1, Order = [new(new Field("last"), SortOrder.Desc)] },
                                        Aggregations = new Dictionary<string, Aggregation> { ["last"] = new() { Max = new MaxAggregation { Field = "@timestamp" } } },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    };

    private static SearchRequest Rows(string @namespace, EsQuery query, int size) => new(SearchStream.Decisions.DataStream(@namespace))
    {
        IgnoreUnavailable = true,
        AllowNoIndices = true,
        Size = size,
        Query = query,
        Sort = [new SortOptions { Field = new FieldSort("@timestamp") { Order = SortOrder.Asc } }],
        Source = new SourceConfig(new SourceFilter { Includes = Fields.FromStrings(RowFields) }),
    };

    /// <summary>[start, end) on <c>@timestamp</c>, as the archive's report trims its table, and any further filters.</summary>
    private static EsQuery InRange(DateTimeOffset start, DateTimeOffset end, params EsQuery[] more) => new BoolQuery
    {
        Filter =
        [
            new DateRangeQuery("@timestamp")
            {
                Gte = EcsJson.Timestamp(start),
                Lt = EcsJson.Timestamp(end),
                Format = "strict_date_optional_time",
            },
            .. more,
        ],
    };

    /// <summary>Rejected: a step ended the request (<c>analytics.rejected_by</c> present and not <c>none</c>).</summary>
    private static EsQuery Rejected() => new BoolQuery
    {
        Filter = [new ExistsQuery("analytics.rejected_by")],
        MustNot = [new TermQuery("analytics.rejected_by", "none")],
    };

    /// <summary>Most frequent first, then by value, as the archive's report orders its lists.</summary>
    private static Aggregation Terms(string field, int size) => new()
    {
        Terms = new TermsAggregation
        {
            Field = field,
            Size = size,
            Order = [new(new Field("_count"), SortOrder.Desc), new(new Field("_key"), SortOrder.Asc)],
        },
    };
}
