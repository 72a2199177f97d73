using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Analytics.Search.Tests.Elasticsearch;

/// <summary>
/// A local HTTP endpoint (real Kestrel on loopback) that plays Elasticsearch for the real client:
/// it records every request and answers template calls with 200 and <c>_bulk</c> with per-item
/// statuses chosen by the test.
/// </summary>
internal sealed class FakeElasticsearch : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeElasticsearch(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Every request in arrival order: method, path, body.</summary>
    public ConcurrentQueue<(string Method, string Path, string Body)> Requests { get; } = new();

    /// <summary>Decides the status of each bulk item from (bulk call number starting at 1, document id); default 201.</summary>
    public Func<int, string, int> ItemStatus { get; set; } = (_, _) => 201;

    /// <summary>Decides the status of a whole bulk call (e.g. 503 for an outage); default 200.</summary>
    public Func<int, int> BulkStatus { get; set; } = _ => 200;

    /// <summary>Every <c>_search</c> in arrival order: path, query string, body.</summary>
    public ConcurrentQueue<(string Path, string Query, string Body)> Searches { get; } = new();

    /// <summary>Answers a <c>_search</c> from (path, body) with a status and a JSON body; default an empty 404.</summary>
    public Func<string, string, (int Status, string Body)> SearchResponse { get; set; } = (_, _) => (404, "{}");

    /// <summary>Runs when a bulk call arrives, before it is answered.</summary>
    public Action<int>? OnBulk { get; set; }

    public int BulkCalls => _bulkCalls;

    private int _bulkCalls;

    public static async Task<FakeElasticsearch> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeElasticsearch(app);
        app.Run(async context =>
        {
            try
            {
                await fake.HandleAsync(context);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                fake.Requests.Enqueue(("ERROR", ex.GetType().Name, ex.Message));
                throw;
            }
        });
        await app.StartAsync();
        fake.Url = app.Urls.First();
        return fake;
    }

    public IEnumerable<(string Method, string Path, string Body)> Bulks => Requests.Where(r => r.Path == "/_bulk");

    private async Task HandleAsync(HttpContext context)
    {
        // The client compresses request bodies, as Elasticsearch accepts.
        Stream input = context.Request.Headers.ContentEncoding.ToString() == "gzip"
            ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
            : context.Request.Body;
        using var reader = new StreamReader(input, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = context.Request.Path.Value ?? "";
        Requests.Enqueue((context.Request.Method, path, body));
        context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
        context.Response.ContentType = "application/json";
        if (path.EndsWith("/_search", StringComparison.Ordinal))
        {
            Searches.Enqueue((path, context.Request.QueryString.Value ?? "", body));
            var (searchStatus, searchBody) = SearchResponse(path, body);
            context.Response.StatusCode = searchStatus;
            await context.Response.WriteAsync(searchBody);
            return;
        }

        if (path != "/_bulk")
        {
            await context.Response.WriteAsync("{\"acknowledged\":true}");
            return;
        }

        var call = Interlocked.Increment(ref _bulkCalls);
        OnBulk?.Invoke(call);
        var status = BulkStatus(call);
        context.Response.StatusCode = status;
        if (status != 200)
        {
            await context.Response.WriteAsync("{\"error\":{\"type\":\"unavailable\",\"reason\":\"test outage\"},\"status\":" + status + "}");
            return;
        }

        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("took", 1);
            var items = new List<(string Index, string Id, int Status)>();
            for (var i = 0; i < lines.Length; i += 2)
            {
                var action = JsonDocument.Parse(lines[i]).RootElement.GetProperty("create");
                var id = action.GetProperty("_id").GetString()!;
                items.Add((action.GetProperty("_index").GetString()!, id, ItemStatus(call, id)));
            }

            w.WriteBoolean("errors", items.Any(i => i.Status >= 300));
            w.WriteStartArray("items");
            foreach (var (index, id, itemStatus) in items)
            {
                w.WriteStartObject();
                w.WriteStartObject("create");
                w.WriteString("_index", index);
                w.WriteString("_id", id);
                w.WriteNumber("status", itemStatus);
                if (itemStatus >= 300)
                {
                    w.WriteStartObject("error");
                    w.WriteString("type", itemStatus == 429 ? "es_rejected_execution_exception" : "document_parsing_exception");
                    w.WriteString("reason", itemStatus == 429 ? "rejected execution" : "[1:2] failed to parse field [source.ip] of type [ip]");
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("result", "created");
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
