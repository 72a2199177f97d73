using System.Globalization;
using Analytics.Search.Archive;
using Analytics.Search.Ecs;
using DuckDB.NET.Data;

namespace Analytics.Search.Query;

/// <summary>
/// Forensic search over the NDJSON archive with DuckDB: the KQL query compiled to a
/// parameterised condition over a flat view of the documents in the time range.
/// </summary>
public sealed class DocumentSearch(string directory, EcsSchema? schema = null)
{
    private readonly EcsSchema _schema = schema ?? EcsSchema.Default;

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Matching documents, newest first.</summary>
    public SearchResult Search(SearchRequest request)
    {
        var fields = ResolveFields(request.Fields);
        return Run(request, (where, sql) =>
            $"SELECT {string.Join(", ", fields.Select(f => SqlQuery.Column(f.Name)))} FROM docs WHERE {where} ORDER BY \"@timestamp\" DESC LIMIT {sql.Add((long)Math.Clamp(request.Limit, 1, 100_000))}",
            fields.Select(f => f.Name).ToList());
    }

    /// <summary>The most frequent values of <paramref name="field"/> among matching documents (list fields count each element).</summary>
    public SearchResult Top(SearchRequest request, string field)
    {
        var f = _schema.Find(field) ?? throw new KqlSyntaxException($"unknown field '{field}' for --top");
        var column = SqlQuery.Column(f.Name);
        return Run(request, (where, sql) =>
        {
            var values = f.IsArray
                ? $"SELECT unnest({column}) AS value FROM docs WHERE {where}"
                : $"SELECT {column} AS value FROM docs WHERE {where} AND {column} IS NOT NULL";
            return $"SELECT value, count(*) AS count FROM ({values}) GROUP BY value ORDER BY count DESC, value LIMIT {sql.Add((long)Math.Clamp(request.Limit, 1, 100_000))}";
        }, [f.Name, "count"]);
    }

    /// <summary>Matching documents per time bucket, oldest first.</summary>
    public SearchResult Histogram(SearchRequest request, TimeSpan bucket)
    {
        if (bucket <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), "the histogram bucket must be positive");
        }

        return Run(request, (where, sql) =>
            $"SELECT time_bucket(to_microseconds({sql.Add((long)(bucket.Ticks / 10))}), \"@timestamp\") AS bucket, count(*) AS count FROM docs WHERE {where} GROUP BY bucket ORDER BY bucket",
            ["bucket", "count"]);
    }

    /// <summary>The archive files that may hold documents of the request's streams and time range (a day of slack: files are named by write time).</summary>
    public IReadOnlyList<string> Files(IReadOnlyList<string> streams, DateTimeOffset? since, DateTimeOffset? until)
    {
        var wanted = streams.Count == 0 ? SearchStream.All : streams.Select(s => SearchStream.FromName(s) ?? throw new KqlSyntaxException($"unknown stream '{s}' (requests, decisions or alerts)")).ToList();
        var from = since is { } s1 ? DateOnly.FromDateTime(s1.UtcDateTime).AddDays(-1) : DateOnly.MinValue;
        var to = until is { } u ? DateOnly.FromDateTime(u.UtcDateTime).AddDays(1) : DateOnly.MaxValue;
        return ArchiveFile.List(Directory)
            .Where(f => wanted.Contains(f.Stream) && f.Day >= from && f.Day <= to && new FileInfo(f.Path).Length > 0)
            .Select(f => f.Path)
            .ToList();
    }

    /// <summary>Opens an in-memory DuckDB with a <c>docs</c> view (or table, when <paramref name="materialize"/>) over <paramref name="files"/>.</summary>
    public DuckDBConnection Open(IReadOnlyList<string> files, bool materialize = false)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var kind = materialize ? "TABLE" : "VIEW";
        if (files.Count == 0)
        {
            // No documents yet: an empty relation with the same columns.
            command.CommandText = $"CREATE TEMP {kind} docs AS SELECT {DuckDbSchema.Projection(_schema)} FROM (SELECT * FROM {EmptySource()}) WHERE FALSE";
        }
        else
        {
            // File names come from the directory listing, not from the query; they are still quoted as literals.
            var list = "[" + string.Join(", ", files.Select(f => "'" + f.Replace("'", "''", StringComparison.Ordinal) + "'")) + "]";
            command.CommandText = $"CREATE TEMP {kind} docs AS SELECT {DuckDbSchema.Projection(_schema)} FROM read_json({list}, format = 'newline_delimited', columns = {DuckDbSchema.Columns(_schema)}, maximum_object_size = 16777216) WHERE \"@timestamp\" IS NOT NULL";
        }

        command.ExecuteNonQuery();
        return connection;
    }

    private string EmptySource() =>
        "(SELECT " + string.Join(", ", DuckDbSchema.TopLevel(_schema).Select(c => $"CAST(NULL AS {c.Type}) AS {SqlQuery.Column(c.Name)}")) + ")";

    private SearchResult Run(SearchRequest request, Func<string, SqlQuery, string> select, IReadOnlyList<string> columns)
    {
        var node = KqlParser.Parse(request.Query);
        var sql = new SqlQuery();
        var where = TimeRange(request, sql) + " AND " + new KqlSqlCompiler(_schema).Compile(node, sql);
        var text = select(where, sql);
        var files = Files(request.Streams, request.Since, request.Until);
        if (files.Count == 0)
        {
            return new SearchResult(columns, []);
        }

        using var connection = Open(files);
        return Execute(connection, text, sql, columns);
    }

    /// <summary>Runs <paramref name="text"/> with <paramref name="sql"/>'s parameters and reads every row.</summary>
    public static SearchResult Execute(DuckDBConnection connection, string text, SqlQuery sql, IReadOnlyList<string> columns)
    {
        using var command = connection.CreateCommand();
        command.CommandText = text;
        foreach (var p in sql.Parameters)
        {
            command.Parameters.Add(new DuckDBParameter(p ?? DBNull.Value));
        }

        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return new SearchResult(columns, rows);
    }

    private static string TimeRange(SearchRequest request, SqlQuery sql)
    {
        var parts = new List<string> { "TRUE" };
        if (request.Since is { } since)
        {
            parts.Add($"\"@timestamp\" >= {sql.Add(since.UtcDateTime)}");
        }

        if (request.Until is { } until)
        {
            parts.Add($"\"@timestamp\" < {sql.Add(until.UtcDateTime)}");
        }

        return string.Join(" AND ", parts);
    }

    private List<EcsField> ResolveFields(IReadOnlyList<string> requested)
    {
        if (requested is ["*"])
        {
            return _schema.Fields.ToList();
        }

        var names = requested.Count == 0 ? SearchRequest.DefaultFields : requested;
        return names.Select(n => _schema.Find(n) ?? throw new KqlSyntaxException($"unknown field '{n}' in --fields")).ToList();
    }

    internal static string Format(object? value) => value switch
    {
        null => "",
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list and not string => string.Join(",", list.Cast<object?>().Select(Format)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
