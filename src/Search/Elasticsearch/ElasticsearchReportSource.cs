using System.Globalization;
using System.Text.Json;
using Analytics.Search.Ecs;
using Analytics.Search.Report;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Aggregations;
using Elastic.Transport;

namespace Analytics.Search.Elasticsearch;

/// <summary>
/// Computes a <see cref="ComplianceReport"/> with Elasticsearch aggregations over our data streams
/// in one namespace, into the same model the archive's <see cref="ReportBuilder"/> fills, so the
/// page is the same whichever source wrote it. A refused or failed search is a
/// <see cref="ReportSourceException"/> that says what to fix.
/// </summary>
public sealed class ElasticsearchReportSource(ElasticsearchClient client, string @namespace) : IReportSource
{
    public async Task<ComplianceReport> BuildAsync(DateOnly from, DateOnly to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var requests = await SearchAsync<JsonElement>(ElasticsearchReportQueries.Requests(@namespace, start, end), SearchStream.Requests, cancellationToken);
        var decisions = await SearchAsync<JsonElement>(ElasticsearchReportQueries.Decisions(@namespace, start, end), SearchStream.Decisions, cancellationToken);
        var decisionRows = await SearchAsync<JsonElement>(ElasticsearchReportQueries.DecisionRows(@namespace, start, end), SearchStream.Decisions, cancellationToken);
        var auditRows = await SearchAsync<JsonElement>(ElasticsearchReportQueries.AuditRows(@namespace, start, end), SearchStream.Decisions, cancellationToken);
        var alerts = await SearchAsync<JsonElement>(ElasticsearchReportQueries.Alerts(@namespace, start, end), SearchStream.Alerts, cancellationToken);

        var r = requests.Aggregations;
        var rejected = Filter(r, "rejected");
        var auth = Filter(r, "auth_failures");
        var undocumented = Filter(r, "undocumented");
        var d = decisions.Aggregations;
        var made = Filter(d, "decisions");
        var bySource = Counts(made?.Aggregations, "by_source");
        var manual = Filter(made?.Aggregations, "manual")?.DocCount ?? 0;

        return new ComplianceReport
        {
            From = from,
            To = to,
            GeneratedAt = now,
            Requests = requests.Total,
            Rejected = rejected?.DocCount ?? 0,
            AuthenticationFailures = auth?.DocCount ?? 0,
            InjectionFindings = Filter(r, "injection")?.DocCount ?? 0,
            Daily = (r?.GetDateHistogram("daily")?.Buckets ?? [])
                .Where(b => b.DocCount > 0)
                .Select(b => new DailyTraffic(DateOnly.FromDateTime(b.Key.UtcDateTime), b.DocCount, Filter(b.Aggregations, "rejected")?.DocCount ?? 0))
                .OrderBy(x => x.Day)
                .ToList(),
            RejectionsByStep = Counts(rejected?.Aggregations, "by_step"),
            AuthenticationFailuresByClient = Counts(auth?.Aggregations, "by_client"),
            DecisionsBySource = bySource,
            AutomaticDecisions = (made?.DocCount ?? 0) - manual,
            ManualDecisions = manual,
            DecisionsRemoved = Filter(d, "removed")?.DocCount ?? 0,
            Decisions = decisionRows.Hits.Select(h => DecisionRow(h.Source)).ToList(),
            TopOffenders = Counts(rejected?.Aggregations, "offenders"),
            InjectionByClass = Counts(r, "by_class"),
            AlertsByType = Sorted((alerts.Aggregations?.GetStringTerms("by_type")?.Buckets ?? [])
                .Select(b => new Count(Key(b), b.Aggregations?.GetCardinality("alerts")?.Value ?? 0))),
            ApiFindings = ApiFindings(alerts.Aggregations),
            UndocumentedTraffic = Sorted(Counts(undocumented?.Aggregations, "by_route")
                    .Concat(Counts(Filter(undocumented?.Aggregations, "no_route")?.Aggregations, "by_path"))
                    .GroupBy(c => c.Label, StringComparer.Ordinal)
                    .Select(g => new Count(g.Key, g.Sum(c => c.Value))))
                .Take(20)
                .ToList(),
            AuditTrail = auditRows.Hits.Select(h => AuditRow(h.Source)).ToList(),
        };
    }

    private async Task<SearchResponse<T>> SearchAsync<T>(SearchRequest request, SearchStream stream, CancellationToken cancellationToken)
    {
        var index = stream.DataStream(@namespace);
        SearchResponse<T> response;
        try
        {
            response = await client.SearchAsync<T>(request, cancellationToken);
        }
        catch (TransportException ex)
        {
            throw new ReportSourceException(ReportSourceFailure.Unreachable, $"Elasticsearch could not be searched ({index}): {ex.Message}", ex);
        }

        if (response.IsValidResponse)
        {
            return response;
        }

        var status = response.ApiCallDetails.HttpStatusCode;
        var error = response.ElasticsearchServerError?.Error;
        var cause = error is null ? "" : $" ({error.Type}: {error.Reason})";
        throw status switch
        {
            null => new ReportSourceException(ReportSourceFailure.Unreachable,
                $"Elasticsearch could not be reached ({index}): {response.ApiCallDetails.OriginalException?.Message ?? "no response"}",
                response.ApiCallDetails.OriginalException),
            401 or 403 => new ReportSourceException(ReportSourceFailure.Unauthorized,
                $"Elasticsearch refused the credentials ({status}){cause}: check Search:Elasticsearch:ApiKey, or Username and Password, and that they may read {index}"),
            404 => new ReportSourceException(ReportSourceFailure.NotFound,
                $"Elasticsearch has no data stream {index} (404){cause}: check Search:Namespace, or nothing has been indexed there yet"),
            _ => new ReportSourceException(ReportSourceFailure.Refused,
                $"Elasticsearch answered {status} to the report's {stream} search on {index}{cause}"),
        };
    }

    private static List<ApiFinding> ApiFindings(AggregateDictionary? aggregations)
    {
        var list = new List<ApiFinding>();
        foreach (var type in Filter(aggregations, "apis")?.Aggregations?.GetStringTerms("by_type")?.Buckets ?? [])
        {
            foreach (var entity in type.Aggregations?.GetStringTerms("by_entity")?.Buckets ?? [])
            {
                var a = entity.Aggregations;
                var title = a?.GetStringTerms("title")?.Buckets.FirstOrDefault() is { } t ? Key(t) : "";
                var count = (long)(a?.GetMax("count")?.Value ?? 0);
                var lastSeen = a?.GetMax("last_seen")?.Value is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : DateTimeOffset.MinValue;
                list.Add(new ApiFinding(Key(type), Key(entity), title, count, lastSeen));
            }
        }

        return list.OrderBy(f => f.Type, StringComparer.Ordinal).ThenBy(f => f.Entity, StringComparer.Ordinal).ToList();
    }

    private static DecisionRow DecisionRow(JsonElement s) => new(
        Time(s, "@timestamp") ?? DateTimeOffset.MinValue,
        Text(s, "analytics.decision.action") ?? "",
        Text(s, "analytics.decision.key") ?? "",
        Text(s, "analytics.decision.source") ?? "",
        Text(s, "event.reason"),
        Text(s, "analytics.evidence.explanation"),
        Time(s, "analytics.decision.expires"),
        Get(s, "analytics.decision.simulated") is { ValueKind: JsonValueKind.True },
        Text(s, "event.url"));

    private static AuditRow AuditRow(JsonElement s) => new(
        Time(s, "@timestamp") ?? DateTimeOffset.MinValue,
        Text(s, "user.name") ?? "",
        Text(s, "event.action") ?? "",
        Text(s, "analytics.decision.key") ?? "",
        Text(s, "event.reason"));

    private static FilterAggregate? Filter(AggregateDictionary? aggregations, string name) => aggregations?.GetFilter(name);

    private static List<Count> Counts(AggregateDictionary? aggregations, string name) =>
        Sorted((aggregations?.GetStringTerms(name)?.Buckets ?? []).Select(b => new Count(Key(b), b.DocCount)));

    private static List<Count> Sorted(IEnumerable<Count> counts) =>
        counts.OrderByDescending(c => c.Value).ThenBy(c => c.Label, StringComparer.Ordinal).ToList();

    private static string Key(StringTermsBucket bucket) =>
        bucket.Key.TryGetString(out var s) && s is not null ? s : Convert.ToString(bucket.Key.Value, CultureInfo.InvariantCulture) ?? "(none)";

    /// <summary>A field of a nested <c>_source</c> by its dotted ECS name.</summary>
    private static JsonElement? Get(JsonElement source, string dotted)
    {
        var e = source;
        foreach (var part in dotted.Split('.'))
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(part, out e))
            {
                return null;
            }
        }

        return e;
    }

    private static string? Text(JsonElement source, string dotted) =>
        Get(source, dotted) is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    private static DateTimeOffset? Time(JsonElement source, string dotted) =>
        Text(source, dotted) is { } t && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var v) ? v : null;
}
