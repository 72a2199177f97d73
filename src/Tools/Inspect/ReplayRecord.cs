using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Analytics.Inspection;
using Microsoft.AspNetCore.Http;

namespace Analytics.Tools.Inspect;

/// <summary>One labelled request of the replay format (DESIGN.md): id, source, method, uri, headers, body, label, attack_class.</summary>
internal sealed record ReplayRecord(string Id, string Source, string Method, string Uri, HeaderDictionary Headers, string? Body, bool IsAttack, string? AttackClass, string? Placement = null, string? Payload = null)
{
    /// <summary>Reads JSON Lines, gzip-compressed when the name ends in .gz.</summary>
    public static IEnumerable<ReplayRecord> Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            ReplayRecord record;
            try
            {
                record = Parse(line, lineNumber);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a replay record ({ex.Message})", ex);
            }

            yield return record;
        }
    }

    private static ReplayRecord Parse(string line, int lineNumber)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var headers = new HeaderDictionary();
        if (root.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in h.EnumerateObject())
            {
                headers.Append(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
            }
        }

        return new ReplayRecord(
            Str(root, "id") ?? $"line-{lineNumber}",
            Str(root, "source") ?? "",
            Str(root, "method") ?? "GET",
            Str(root, "uri") ?? "/",
            headers,
            Str(root, "body"),
            string.Equals(Str(root, "label"), "attack", StringComparison.OrdinalIgnoreCase),
            Str(root, "attack_class"),
            root.TryGetProperty("expect", out var expect) && expect.ValueKind == JsonValueKind.Object ? Str(expect, "placement") : null,
            expect.ValueKind == JsonValueKind.Object ? Str(expect, "payload") : null);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The request as the middleware would see it; the body truncated at <paramref name="maxBodyBytes"/> like the middleware does.</summary>
    public InspectionInput ToInput(int maxBodyBytes)
    {
        var uri = Uri;
        if (uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var slash = uri.IndexOf('/', uri.IndexOf("//", StringComparison.Ordinal) + 2);
            uri = slash < 0 ? "/" : uri[slash..];
        }

        var q = uri.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? uri : uri[..q];
        var query = q < 0 ? null : uri[(q + 1)..];
        var body = Body is null ? [] : Encoding.UTF8.GetBytes(Body);
        var truncated = body.Length > maxBodyBytes;
        // Replayed as a client sends it to an origin: HTTP/1.1, the target in origin form.
        return new InspectionInput(Method, path, query, Headers, truncated ? body.AsMemory(0, maxBodyBytes) : body,
            ((IHeaderDictionary)Headers).ContentType.ToString() is { Length: > 0 } ct ? ct : null, truncated, "HTTP/1.1", uri);
    }

    /// <summary>
    /// Where the payload sits: the record's <c>expect.placement</c> up to its ':' (<c>query:q</c> is
    /// <c>query-value</c>), else the request's shape (a body, a query, or the path alone).
    /// </summary>
    public string Location
    {
        get
        {
            if (Placement is { Length: > 0 } p)
            {
                var colon = p.IndexOf(':', StringComparison.Ordinal);
                var place = colon < 0 ? p : p[..colon];
                return place == "query" ? "query-value" : place;
            }

            return !string.IsNullOrEmpty(Body) ? "body" : Uri.Contains('?', StringComparison.Ordinal) ? "query-value" : "path";
        }
    }

    /// <summary>A stable split of the corpora: about one record in five is held out from training.</summary>
    public bool IsHoldout => (StableHash(Id) % 5) == 0;

    internal static uint StableHash(string s)
    {
        var h = 2166136261u;
        foreach (var c in s)
        {
            h = (h ^ c) * 16777619u;
        }

        return h;
    }
}
