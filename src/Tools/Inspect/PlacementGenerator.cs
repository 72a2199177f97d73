using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Analytics.Inspection;

namespace Analytics.Tools.Inspect;

/// <summary>
/// <c>inspect placements</c>: a development set that puts payloads where the public corpora never
/// do. Attack payloads of the corpora (their <c>expect.payload</c>) and <see cref="PlacementSeeds"/>,
/// and benign values (CSIC's and HttpParams' benign values, the seeds' look-alikes), are sampled
/// per class with a fixed seed and each placed, encoded as a client would send it, in a header,
/// a cookie value and name, a query argument's name and value, a path segment, a JSON key and
/// value, an XML attribute, a multipart file name and field name. Each record's
/// <c>expect.placement</c> names the place, which <c>inspect</c> reports on.
/// </summary>
internal static class PlacementGenerator
{
    public static readonly string[] Places =
    [
        "query-value", "query-name", "header", "cookie-value", "cookie-name", "path-segment", "json-key", "json-value", "xml-attribute",
        "multipart-filename", "multipart-name",
    ];

    private static readonly string[] CustomHeaders = ["X-Search", "X-Filter", "X-Client-Context", "X-Forwarded-Prefix", "X-Requested-Resource", "X-Note"];

    public static int Run(DirectoryInfo corpora, FileInfo output, int seed, int perClass, int benignCount)
    {
        var random = new Random(seed);
        var attacks = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var benign = new List<string>();
        foreach (var file in corpora.GetFiles("payloads_*.jsonl.gz").OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            foreach (var (label, cls, payload) in ReadPayloads(file.FullName))
            {
                if (label == "attack" && cls is not null)
                {
                    (attacks.TryGetValue(cls, out var list) ? list : attacks[cls] = []).Add(payload);
                }
                else if (label == "benign" && !file.Name.Contains("libinjection", StringComparison.Ordinal))
                {
                    // libinjection's benign lines are false-positive bait written to look like SQL, not values of an API.
                    benign.Add(payload);
                }
            }
        }

        var csic = corpora.GetFiles("csic2010*.jsonl.gz").FirstOrDefault();
        if (csic is not null)
        {
            benign.AddRange(CsicBenignValues(csic.FullName));
        }

        var records = new List<string>();
        var n = 0;
        foreach (var (cls, payloads) in attacks.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var payload in Sample(payloads.Distinct(StringComparer.Ordinal).ToList(), perClass, random))
            {
                Place(records, ref n, "corpora", "attack", cls, payload, random);
            }
        }

        foreach (var (cls, payload) in PlacementSeeds.Attacks)
        {
            Place(records, ref n, "seed", "attack", cls, payload, random);
        }

        foreach (var ua in PlacementSeeds.ScannerUserAgents)
        {
            records.Add(Record($"dev:{n++}", "seed", "attack", "scanner", "header:User-Agent", ua, "GET", "/api/items", new() { ["User-Agent"] = ua }, null));
        }

        foreach (var value in Sample(benign.Distinct(StringComparer.Ordinal).Where(v => v.Length > 0).ToList(), benignCount, random))
        {
            Place(records, ref n, "corpora", "benign", null, value, random);
        }

        foreach (var value in PlacementSeeds.Benign)
        {
            Place(records, ref n, "seed", "benign", null, value, random);
        }

        using var stream = File.Create(output.FullName);
        using var gzip = new GZipStream(stream, CompressionLevel.Optimal);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false));
        foreach (var r in records)
        {
            writer.WriteLine(r);
        }

        Console.WriteLine($"placements: {records.Count} requests ({Places.Length} places) written to {output.FullName}");
        return 0;
    }

    private static List<string> Sample(List<string> values, int count, Random random)
    {
        if (values.Count <= count)
        {
            return values;
        }

        // Partial Fisher-Yates: the first 'count' of a seeded shuffle.
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, values.Count);
            (values[i], values[j]) = (values[j], values[i]);
        }

        return values.GetRange(0, count);
    }

    private static void Place(List<string> records, ref int n, string source, string label, string? cls, string payload, Random random)
    {
        foreach (var place in Places)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Host"] = "api.example.com",
                ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) placement/1.0",
                ["Accept"] = "application/json",
            };
            var method = "GET";
            var uri = "/api/items";
            string? body = null;
            switch (place)
            {
                case "query-value":
                    uri = "/api/items?page=1&q=" + Uri.EscapeDataString(payload);
                    break;
                case "query-name":
                    uri = "/api/items?page=1&" + Uri.EscapeDataString(payload) + "=1";
                    break;
                case "header":
                    headers[CustomHeaders[random.Next(CustomHeaders.Length)]] = HeaderSafe(payload, "");
                    break;
                case "cookie-value":
                    headers["Cookie"] = "theme=dark; pref=" + HeaderSafe(payload, ";,") + "; lang=en";
                    break;
                case "cookie-name":
                    headers["Cookie"] = "theme=dark; " + HeaderSafe(payload, ";=, \t") + "=1";
                    break;
                case "path-segment":
                    uri = "/api/items/" + Uri.EscapeDataString(payload) + "/reviews";
                    break;
                case "json-key":
                    method = "POST";
                    headers["Content-Type"] = "application/json";
                    body = "{\"order\":{\"id\":7,\"filters\":{" + JsonSerializer.Serialize(payload) + ":\"1\"}}}";
                    break;
                case "json-value":
                    method = "POST";
                    headers["Content-Type"] = "application/json";
                    body = "{\"order\":{\"id\":7,\"lines\":[{\"note\":" + JsonSerializer.Serialize(payload) + "}]}}";
                    break;
                case "xml-attribute":
                    method = "POST";
                    headers["Content-Type"] = "application/xml";
                    body = "<?xml version=\"1.0\"?><order id=\"7\"><line sku=\"A-1\" note=\"" + XmlAttribute(payload) + "\"/></order>";
                    break;
                case "multipart-filename":
                case "multipart-name":
                    method = "POST";
                    headers["Content-Type"] = "multipart/form-data; boundary=----dev7MA4YWxkTrZu0gW";
                    var field = place == "multipart-name" ? MultipartSafe(payload) : "file";
                    var file = place == "multipart-filename" ? "; filename=\"" + MultipartSafe(payload) + "\"" : "";
                    var contentType = place == "multipart-filename" ? "Content-Type: application/octet-stream\r\n" : "";
                    body = "------dev7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nquarterly report\r\n"
                        + "------dev7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"" + field + "\"" + file + "\r\n" + contentType + "\r\n"
                        + (place == "multipart-filename" ? "%PDF-1.4 binary" : "1") + "\r\n------dev7MA4YWxkTrZu0gW--\r\n";
                    break;
            }

            records.Add(Record($"dev:{n++}", source, label, cls, place, payload, method, uri, headers, body));
        }
    }

    private static string Record(string id, string source, string label, string? cls, string place, string payload, string method, string uri, Dictionary<string, string> headers, string? body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("source", "placement-" + source);
            w.WriteString("method", method);
            w.WriteString("uri", uri);
            w.WriteStartObject("headers");
            foreach (var (k, v) in headers)
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
            if (body is null)
            {
                w.WriteNull("body");
            }
            else
            {
                w.WriteString("body", body);
            }

            w.WriteString("label", label);
            if (cls is null)
            {
                w.WriteNull("attack_class");
            }
            else
            {
                w.WriteString("attack_class", cls);
            }

            w.WriteStartObject("expect");
            w.WriteString("placement", place);
            w.WriteString("payload", payload);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>A header value can carry only visible ASCII and spaces: the rest, and the listed separators, percent-encoded (as an application would decode them).</summary>
    private static string HeaderSafe(string payload, string separators)
    {
        var sb = new StringBuilder(payload.Length);
        foreach (var b in Encoding.UTF8.GetBytes(payload))
        {
            if (b is < 0x20 or > 0x7e || separators.Contains((char)b, StringComparison.Ordinal))
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }

        return sb.Length > 0 && sb[0] == ' ' ? "%20" + sb.ToString(1, sb.Length - 1) : sb.ToString();
    }

    /// <summary>What browsers do to a form field or file name (WHATWG): '"' and line breaks percent-encoded.</summary>
    private static string MultipartSafe(string payload) =>
        payload.Replace("\"", "%22", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string XmlAttribute(string payload)
    {
        var sb = new StringBuilder(payload.Length);
        foreach (var c in payload)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case < ' ': sb.Append("&#x").Append(((int)c).ToString("X", System.Globalization.CultureInfo.InvariantCulture)).Append(';'); break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    private static IEnumerable<(string Label, string? Class, string Payload)> ReadPayloads(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("expect", out var expect) || !expect.TryGetProperty("payload", out var p) || p.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var cls = root.TryGetProperty("attack_class", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            yield return (root.GetProperty("label").GetString() ?? "", cls, p.GetString()!);
        }
    }

    /// <summary>The decoded query and form values of CSIC's benign requests.</summary>
    private static IEnumerable<string> CsicBenignValues(string path)
    {
        foreach (var record in ReplayRecord.Read(path))
        {
            if (record.IsAttack)
            {
                continue;
            }

            var q = record.Uri.IndexOf('?', StringComparison.Ordinal);
            foreach (var raw in new[] { q < 0 ? null : record.Uri[(q + 1)..], record.Body })
            {
                if (string.IsNullOrEmpty(raw))
                {
                    continue;
                }

                foreach (var pair in raw.Split('&'))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    var value = eq < 0 ? "" : pair[(eq + 1)..];
                    var decoded = System.Net.WebUtility.UrlDecode(value);
                    if (decoded.Length > 0)
                    {
                        yield return decoded;
                    }
                }
            }
        }
    }
}
