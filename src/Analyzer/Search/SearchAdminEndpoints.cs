using System.Globalization;
using Analytics.Search.Query;
using Analytics.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Search;

/// <summary>
/// <c>GET /search?q=&amp;since=&amp;until=&amp;limit=&amp;fields=&amp;stream=</c> on the admin listener:
/// the KQL search over the archive; with <c>top=field</c> the most frequent values, with
/// <c>histogram=1m</c> counts per bucket. A bad query is a 400 naming the column.
/// </summary>
internal sealed class SearchAdminEndpoints : IAdminEndpoints
{
    public void MapEndpoints(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/search", (HttpRequest http, IOptions<SearchOptions> options, TimeProvider time) =>
        {
            var o = options.Value;
            if (!o.ArchiveEnabled)
            {
                return Results.Problem(statusCode: 409, title: "Search runs in Kibana",
                    detail: "Documents go to Elasticsearch and the local archive is off (Search:Archive:Enabled); search them in Kibana.");
            }

            var q = http.Query;
            var now = time.GetUtcNow();
            if (!TryTime(q["since"], now, now.AddHours(-1), out var since) || !TryTime(q["until"], now, now, out var until))
            {
                return Results.Problem(statusCode: 400, title: "Invalid time", detail: "since and until take an ISO time, now-2h, or a span back from now such as 2h or 7d");
            }

            var limit = 100;
            if (q["limit"] is { Count: > 0 } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 10_000))
            {
                return Results.Problem(statusCode: 400, title: "Invalid limit", detail: "limit must be between 1 and 10000");
            }

            var request = new SearchRequest
            {
                Query = q["q"].ToString(),
                Since = since,
                Until = until,
                Limit = limit,
                Fields = Split(q["fields"]),
                Streams = Split(q["stream"]),
            };
            try
            {
                var search = new DocumentSearch(o.Archive.Directory);
                SearchResult result;
                if (q["top"] is { Count: > 0 } top)
                {
                    result = search.Top(request, top.ToString());
                }
                else if (q["histogram"] is { Count: > 0 } h)
                {
                    if (!TimeExpression.TryParseSpan(h.ToString(), out var bucket))
                    {
                        return Results.Problem(statusCode: 400, title: "Invalid histogram", detail: "histogram takes a bucket such as 30s, 1m, 1h or 1d");
                    }

                    result = search.Histogram(request, bucket);
                }
                else
                {
                    result = search.Search(request);
                }

                return Results.Text(ResultFormatter.Json(result), "application/json");
            }
            catch (KqlSyntaxException ex)
            {
                return Results.Problem(statusCode: 400, title: "Invalid query", detail: ex.Message,
                    extensions: new Dictionary<string, object?> { ["position"] = ex.Position });
            }
        });
    }

    private static bool TryTime(string? text, DateTimeOffset now, DateTimeOffset fallback, out DateTimeOffset value)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            value = fallback;
            return true;
        }

        return TimeExpression.TryParse(text, now, out value);
    }

    private static List<string> Split(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
