using System.CommandLine;
using Analytics.Search.Query;

namespace Analytics.Tools.Offline;

/// <summary><c>search "KQL" --since 2h</c>: forensic search over the NDJSON archive under <c>&lt;data&gt;/search</c>; the engine is in Analytics.Search.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var query = new Argument<string>("query") { Description = "KQL, e.g. \"source.ip:203.0.113.7 and event.outcome:failure\" (empty matches everything)", DefaultValueFactory = _ => "" };
        var since = new Option<string>("--since") { Description = "Start: a span back from now (2h, 7d), now-2h, or an ISO time", DefaultValueFactory = _ => "1h" };
        var until = new Option<string?>("--until") { Description = "End (exclusive), same forms; default now" };
        var fields = new Option<string?>("--fields") { Description = "Comma-separated fields to show, or * for all" };
        var format = new Option<string>("--format") { Description = "table, json or csv", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var limit = new Option<int>("--limit") { Description = "Rows at most", DefaultValueFactory = _ => 100 };
        var top = new Option<string?>("--top") { Description = "Instead of documents: the most frequent values of this field, with counts" };
        var histogram = new Option<string?>("--histogram") { Description = "Instead of documents: counts per time bucket (30s, 1m, 1h, 1d)" };
        var stream = new Option<string?>("--stream") { Description = "requests, decisions or alerts (comma-separated); default all" };
        var data = DataOption();
        var command = new Command("search", "Search the archived ECS documents with a KQL subset (DuckDB over data/search/*.ndjson)")
        {
            query, since, until, fields, format, limit, top, histogram, stream, data,
        };
        command.SetAction((p, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            if (!TimeExpression.TryParse(p.GetValue(since)!, now, out var from))
            {
                return Fail($"--since: '{p.GetValue(since)}' is not a time (2h, now-2h, 2026-11-30T10:00:00Z)");
            }

            var to = now;
            if (p.GetValue(until) is { } u && !TimeExpression.TryParse(u, now, out to))
            {
                return Fail($"--until: '{u}' is not a time");
            }

            var request = new SearchRequest
            {
                Query = p.GetValue(query) ?? "",
                Since = from,
                Until = to,
                Limit = p.GetValue(limit),
                Fields = Split(p.GetValue(fields)),
                Streams = Split(p.GetValue(stream)),
            };
            try
            {
                var search = new DocumentSearch(Path.Combine(p.GetValue(data)!, "search"));
                SearchResult result;
                if (p.GetValue(top) is { } field)
                {
                    result = search.Top(request, field);
                }
                else if (p.GetValue(histogram) is { } h)
                {
                    if (!TimeExpression.TryParseSpan(h, out var bucket))
                    {
                        return Fail($"--histogram: '{h}' is not a bucket (30s, 1m, 1h, 1d)");
                    }

                    result = search.Histogram(request, bucket);
                }
                else
                {
                    result = search.Search(request);
                }

                Console.Write(ResultFormatter.Format(result, p.GetValue(format)!));
                if (p.GetValue(format) == "json")
                {
                    Console.WriteLine();
                }

                return Task.FromResult(0);
            }
            catch (KqlSyntaxException ex)
            {
                return Fail("query error: " + ex.Message);
            }
        });
        return command;
    }

    /// <summary><c>--data DIR</c>: the folder whose <c>search/</c> holds the archive (default <c>data</c>, as the services write it).</summary>
    internal static Option<string> DataOption() => new("--data")
    {
        Description = "Data folder that holds search/ (default: data, relative to where you run)",
        DefaultValueFactory = _ => "data",
    };

    private static Task<int> Fail(string message)
    {
        Console.Error.WriteLine(message);
        return Task.FromResult(2);
    }

    private static List<string> Split(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
