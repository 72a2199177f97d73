using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Messaging;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Analytics.Analyzer.Catalog;

/// <summary>An operation as the sidecar's <c>GET /catalog</c> reports it (the fields the job needs).</summary>
public sealed class ObservedOperation
{
    [JsonPropertyName("method")] public string Method { get; init; } = "";
    [JsonPropertyName("path")] public string Path { get; init; } = "";
    [JsonPropertyName("count")] public long Count { get; init; }
    [JsonPropertyName("first_seen")] public DateTimeOffset FirstSeen { get; init; }
    [JsonPropertyName("last_seen")] public DateTimeOffset LastSeen { get; init; }
    [JsonPropertyName("documented")] public bool? Documented { get; init; }
}

/// <summary>The sidecar catalog document.</summary>
public sealed class ObservedCatalog
{
    [JsonPropertyName("operations")] public List<ObservedOperation> Operations { get; init; } = [];
}

/// <summary>An operation of the service's OpenAPI document.</summary>
public sealed record DocumentedOperation(string Method, string Path, bool Deprecated);

/// <summary>
/// Shadow and zombie APIs: shadow = observed but not documented; zombie = documented (or
/// deprecated) and not seen for N days, or deprecated yet still called. Templates are compared
/// with parameter names ignored (/users/{id} matches /users/{userId}).
/// </summary>
public static class CatalogAnalysis
{
    public static List<Alert> Analyze(string service, IReadOnlyList<ObservedOperation> observed, IReadOnlyList<DocumentedOperation> documented, DateTimeOffset now, TimeSpan zombieAfter)
    {
        var alerts = new List<Alert>();
        var documentedByKey = new Dictionary<string, DocumentedOperation>(StringComparer.Ordinal);
        foreach (var d in documented)
        {
            documentedByKey[Key(d.Method, d.Path)] = d;
        }

        var observedByKey = new Dictionary<string, ObservedOperation>(StringComparer.Ordinal);
        foreach (var o in observed)
        {
            observedByKey[Key(o.Method, o.Path)] = o;
            var isDocumented = documentedByKey.TryGetValue(Key(o.Method, o.Path), out var doc) || (documented.Count == 0 && o.Documented == true);
            if (!isDocumented && (documented.Count > 0 || o.Documented == false))
            {
                alerts.Add(Make(AlertTypes.ShadowApi, AlertSeverities.Medium, service, o.Method, o.Path,
                    $"Shadow API: {o.Method} {o.Path}",
                    $"{o.Method} {o.Path} on {service} received {o.Count} requests but is not in the API description.",
                    o.FirstSeen, o.LastSeen, o.Count));
            }
            else if (doc is { Deprecated: true } && now - o.LastSeen < zombieAfter)
            {
                alerts.Add(Make(AlertTypes.ZombieApi, AlertSeverities.Medium, service, o.Method, o.Path,
                    $"Deprecated API still called: {o.Method} {o.Path}",
                    $"{o.Method} {o.Path} on {service} is deprecated but was called {o.Count} times, last at {o.LastSeen:O}.",
                    o.FirstSeen, o.LastSeen, o.Count));
            }
        }

        foreach (var d in documented)
        {
            if (observedByKey.TryGetValue(Key(d.Method, d.Path), out var seen) && now - seen.LastSeen < zombieAfter)
            {
                continue;
            }

            alerts.Add(Make(AlertTypes.ZombieApi, AlertSeverities.Low, service, d.Method, d.Path,
                $"Zombie API: {d.Method} {d.Path}",
                seen is null
                    ? $"{d.Method} {d.Path} on {service} is documented{(d.Deprecated ? " (deprecated)" : "")} but has never been seen by the sidecar."
                    : $"{d.Method} {d.Path} on {service} is documented{(d.Deprecated ? " (deprecated)" : "")} but was last called at {seen.LastSeen:O}.",
                seen?.FirstSeen ?? now, seen?.LastSeen ?? now, 0));
        }

        return alerts;
    }

    /// <summary>Reads the operations of an OpenAPI 3 document, JSON or YAML (paths, methods, deprecated).</summary>
    public static List<DocumentedOperation> ReadOpenApi(string text)
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        // JSON is YAML, so the YAML reader takes both forms of the document.
        var read = OpenApiDocument.Parse(text, OpenApiConstants.Yaml, settings);
        if (read.Document is null || read.Diagnostic?.Errors.Count > 0)
        {
            throw new InvalidDataException($"not a valid OpenAPI document ({read.Diagnostic?.Errors.FirstOrDefault()?.ToString() ?? "unreadable"})");
        }

        var result = new List<DocumentedOperation>();
        foreach (var (path, item) in read.Document.Paths)
        {
            if (item.Operations is null)
            {
                continue;
            }

            foreach (var (method, operation) in item.Operations)
            {
                result.Add(new DocumentedOperation(method.Method.ToUpperInvariant(), path, operation.Deprecated));
            }
        }

        return result;
    }

    private static string Key(string method, string path)
    {
        var sb = new System.Text.StringBuilder(method.ToUpperInvariant()).Append(' ');
        foreach (var segment in path.Trim('/').Split('/'))
        {
            sb.Append('/').Append(segment.StartsWith('{') ? "{}" : segment);
        }

        return sb.ToString();
    }

    private static Alert Make(string type, string severity, string service, string method, string path, string title, string summary, DateTimeOffset first, DateTimeOffset last, long count)
    {
        var dedup = $"{type}:{service}:{method} {path}";
        return new Alert
        {
            Id = Guid.NewGuid().ToString("N"),
            DedupKey = dedup,
            Type = type,
            Severity = severity,
            Entity = $"service:{service}",
            Title = title,
            Summary = summary,
            FirstSeen = first,
            LastSeen = last,
            Count = (int)Math.Min(int.MaxValue, Math.Max(1, count)),
            Evidence = new Evidence
            {
                Explanation = summary,
                Features = new Dictionary<string, double> { ["requests"] = count },
            },
        };
    }
}
