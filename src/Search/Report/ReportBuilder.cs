using Analytics.Search.Query;
using DuckDB.NET.Data;

namespace Analytics.Search.Report;

/// <summary>Reads a date range of archived documents into a <see cref="ComplianceReport"/> with DuckDB.</summary>
public sealed class ReportBuilder(string directory) : IReportSource
{
    private const string IsRequest = "\"event.dataset\" = 'analytics.requests'";
    private const string IsDecision = "\"event.dataset\" = 'analytics.decisions' AND \"analytics.decision.id\" IS NOT NULL";
    private const string IsAlert = "\"event.dataset\" = 'analytics.alerts'";
    private const string IsRejected = "\"analytics.rejected_by\" <> 'none'";

    public Task<ComplianceReport> BuildAsync(DateOnly from, DateOnly to, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(Build(from, to, now));

    /// <summary>The report for the UTC days <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public ComplianceReport Build(DateOnly from, DateOnly to, DateTimeOffset now)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var search = new DocumentSearch(directory);
        using var db = search.Open(search.Files([], start, end), materialize: true);
        using (var trim = db.CreateCommand())
        {
            // The table holds the range only; every query below reads it.
            trim.CommandText = "DELETE FROM docs WHERE \"@timestamp\" < $1 OR \"@timestamp\" >= $2";
            trim.Parameters.Add(new DuckDBParameter(start.UtcDateTime));
            trim.Parameters.Add(new DuckDBParameter(end.UtcDateTime));
            trim.ExecuteNonQuery();
        }

        var daily = Rows(db, $"SELECT CAST(\"@timestamp\" AS DATE) AS day, count(*), count(*) FILTER (WHERE {IsRejected}) FROM docs WHERE {IsRequest} GROUP BY day ORDER BY day")
            .Select(r => new DailyTraffic(r[0] is DateOnly d ? d : DateOnly.FromDateTime((DateTime)r[0]!), (long)r[1]!, (long)r[2]!))
            .ToList();

        return new ComplianceReport
        {
            From = from,
            To = to,
            GeneratedAt = now,
            Requests = Scalar(db, $"SELECT count(*) FROM docs WHERE {IsRequest}"),
            Rejected = Scalar(db, $"SELECT count(*) FROM docs WHERE {IsRequest} AND {IsRejected}"),
            AuthenticationFailures = Scalar(db, $"SELECT count(*) FROM docs WHERE {IsRequest} AND \"analytics.auth.outcome\" = 'failure'"),
            InjectionFindings = Scalar(db, $"SELECT count(*) FROM docs WHERE {IsRequest} AND list_contains(\"event.category\", 'intrusion_detection')"),
            Daily = daily,
            RejectionsByStep = Counts(db, $"SELECT \"analytics.rejected_by\", count(*) AS n FROM docs WHERE {IsRequest} AND {IsRejected} GROUP BY 1 ORDER BY n DESC, 1"),
            AuthenticationFailuresByClient = Counts(db, $"SELECT \"source.ip\", count(*) AS n FROM docs WHERE {IsRequest} AND \"analytics.auth.outcome\" = 'failure' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10"),
            DecisionsBySource = Counts(db, $"SELECT \"analytics.decision.source\", count(*) AS n FROM docs WHERE {IsDecision} GROUP BY 1 ORDER BY n DESC, 1"),
            AutomaticDecisions = Scalar(db, $"SELECT count(*) FROM docs WHERE {IsDecision} AND \"analytics.decision.source\" <> 'manual'"),
            ManualDecisions = Scalar(db, $"SELECT count(*) FROM docs WHERE {IsDecision} AND \"analytics.decision.source\" = 'manual'"),
            DecisionsRemoved = Scalar(db, "SELECT count(*) FROM docs WHERE \"event.action\" = 'decision-removed'"),
            Decisions = Rows(db, $"SELECT \"@timestamp\", \"analytics.decision.action\", \"analytics.decision.key\", \"analytics.decision.source\", \"event.reason\", \"analytics.evidence.explanation\", \"analytics.decision.expires\", \"analytics.decision.simulated\", \"event.url\" FROM docs WHERE {IsDecision} ORDER BY 1 LIMIT 500")
                .Select(r => new DecisionRow(Utc(r[0]), (string)r[1]!, (string)r[2]!, (string)r[3]!, r[4] as string, r[5] as string, r[6] is null ? null : Utc(r[6]), r[7] is true, r[8] as string))
                .ToList(),
            TopOffenders = Counts(db, $"SELECT \"source.ip\", count(*) AS n FROM docs WHERE {IsRequest} AND {IsRejected} AND \"source.ip\" IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10"),
            InjectionByClass = Counts(db, $"SELECT c, count(*) AS n FROM (SELECT unnest(\"rule.category\") AS c FROM docs WHERE {IsRequest}) GROUP BY 1 ORDER BY n DESC, 1"),
            AlertsByType = Counts(db, $"SELECT \"analytics.alert.type\", count(DISTINCT \"analytics.alert.dedup_key\") AS n FROM docs WHERE {IsAlert} GROUP BY 1 ORDER BY n DESC, 1"),
            ApiFindings = Rows(db, $"SELECT \"analytics.alert.type\", \"analytics.alert.entity\", arg_max(\"analytics.alert.title\", \"@timestamp\"), max(\"analytics.alert.count\"), max(\"@timestamp\") FROM docs WHERE {IsAlert} AND \"analytics.alert.type\" IN ('shadow_api', 'zombie_api') GROUP BY 1, 2 ORDER BY 1, 2")
                .Select(r => new ApiFinding((string)r[0]!, (string)r[1]!, (string)r[2]!, (long)r[3]!, Utc(r[4])))
                .ToList(),
            UndocumentedTraffic = Counts(db, $"SELECT coalesce(\"analytics.route.template\", \"url.path\"), count(*) AS n FROM docs WHERE {IsRequest} AND \"analytics.catalog\" = 'undocumented' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 20"),
            AuditTrail = Rows(db, "SELECT \"@timestamp\", \"user.name\", \"event.action\", \"analytics.decision.key\", \"event.reason\" FROM docs WHERE list_contains(\"event.category\", 'configuration') AND \"user.name\" IS NOT NULL ORDER BY 1 LIMIT 1000")
                .Select(r => new AuditRow(Utc(r[0]), (string)r[1]!, (string)r[2]!, r[3] as string ?? "", r[4] as string))
                .ToList(),
        };
    }

    private static DateTimeOffset Utc(object? value) => new(DateTime.SpecifyKind((DateTime)value!, DateTimeKind.Utc));

    private static long Scalar(DuckDBConnection db, string sql)
    {
        using var c = db.CreateCommand();
        c.CommandText = sql;
        return Convert.ToInt64(c.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<Count> Counts(DuckDBConnection db, string sql) =>
        Rows(db, sql).Select(r => new Count(r[0] as string ?? "(none)", Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture))).ToList();

    private static List<object?[]> Rows(DuckDBConnection db, string sql) =>
        DocumentSearch.Execute(db, sql, new SqlQuery(), []).Rows.ToList();
}
