using System.Text.Json.Nodes;
using Analytics.Inspection;
using Json.Schema;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Analytics.Sidecar.Inspection.OpenApi;

/// <summary>The OpenAPI document of each upstream cluster (<c>Sidecar:Inspection:OpenApi:{clusterId}</c>), loaded and compiled at start-up.</summary>
internal sealed class OpenApiRegistry
{
    private readonly Dictionary<string, ApiDescription> _documents = new(StringComparer.OrdinalIgnoreCase);

    public OpenApiRegistry(IOptions<InspectionOptions> options, IHostEnvironment environment, ILogger<OpenApiRegistry> logger)
    {
        foreach (var (clusterId, file) in options.Value.OpenApi)
        {
            var path = Path.IsPathRooted(file) ? file : Path.Combine(environment.ContentRootPath, file);
            var description = ApiDescription.Load(clusterId, path);
            _documents[clusterId] = description;
            InspectionLog.OpenApiLoaded(logger, clusterId, path, description.Operations.Count);
        }
    }

    public ApiDescription? Get(string clusterId) => _documents.TryGetValue(clusterId, out var d) ? d : null;
}

/// <summary>One operation of a document: its template, parameters and JSON body schema, ready to validate against.</summary>
internal sealed record ApiOperation(string Method, string Template, string[] Segments, IReadOnlyList<ApiParameter> Parameters, JsonSchema? BodySchema, bool BodyRequired)
{
    public int LiteralSegments { get; } = Segments.Count(s => !s.StartsWith('{'));
}

/// <summary>A declared parameter (path, query or header).</summary>
internal sealed record ApiParameter(string Name, string In, bool Required, JsonSchema? Schema, string? Type);

/// <summary>A parsed, compiled OpenAPI document.</summary>
internal sealed class ApiDescription
{
    private ApiDescription(List<ApiOperation> operations, EvaluationOptions evaluation)
    {
        Operations = operations;
        Evaluation = evaluation;
    }

    public IReadOnlyList<ApiOperation> Operations { get; }

    public EvaluationOptions Evaluation { get; }

    /// <summary>Loads an OpenAPI 3.0 or 3.1 document (JSON or YAML) with Microsoft.OpenApi; errors name the file.</summary>
    public static ApiDescription Load(string clusterId, string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Sidecar:Inspection:OpenApi:{clusterId}: the file '{path}' does not exist");
        }

        var bytes = File.ReadAllBytes(path);
        using var memory = new MemoryStream(bytes);
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        var result = OpenApiDocument.Load(memory, IsJson(bytes) ? OpenApiConstants.Json : OpenApiConstants.Yaml, settings);
        if (result.Document is null || result.Diagnostic?.Errors.Count > 0)
        {
            var first = result.Diagnostic?.Errors.FirstOrDefault()?.ToString() ?? "unreadable";
            throw new InvalidOperationException($"Sidecar:Inspection:OpenApi:{clusterId}: '{path}' is not a valid OpenAPI document ({first})");
        }

        return FromDocument(clusterId, result.Document);
    }

    // By content rather than file name: "openapi.txt" or a YAML file named .json happen.
    private static bool IsJson(ReadOnlySpan<byte> bytes)
    {
        var text = bytes.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
        var start = text.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && text[start] == (byte)'{';
    }

    /// <summary>Compiles a document: the model is written as OpenAPI 3.1 JSON, whose schemas are JSON Schema for JsonSchema.Net.</summary>
    public static ApiDescription FromDocument(string clusterId, OpenApiDocument document)
    {
        using var text = new StringWriter();
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        var root = JsonNode.Parse(text.ToString())!.AsObject();
        var baseUri = new Uri($"urn:openapi:{Uri.EscapeDataString(clusterId)}");
        var evaluation = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
        evaluation.SchemaRegistry.Register(new JsonNodeBaseDocument(root, baseUri));

        var operations = new List<ApiOperation>();
        if (root["paths"] is JsonObject paths)
        {
            foreach (var (template, item) in paths)
            {
                if (item is not JsonObject pathItem)
                {
                    continue;
                }

                var shared = pathItem["parameters"] as JsonArray;
                foreach (var (method, op) in pathItem)
                {
                    if (op is not JsonObject operation || !IsMethod(method))
                    {
                        continue;
                    }

                    var parameters = new List<ApiParameter>();
                    AddParameters(root, shared, parameters, baseUri);
                    AddParameters(root, operation["parameters"] as JsonArray, parameters, baseUri);
                    JsonSchema? body = null;
                    var required = false;
                    if (Resolve(root, operation["requestBody"]) is JsonObject requestBody)
                    {
                        required = requestBody["required"]?.GetValue<bool>() == true;
                        if (requestBody["content"] is JsonObject content)
                        {
                            foreach (var (media, mediaType) in content)
                            {
                                if (media.Contains("json", StringComparison.OrdinalIgnoreCase) && mediaType?["schema"] is JsonNode schema)
                                {
                                    body = Compile(schema, baseUri);
                                    break;
                                }
                            }
                        }
                    }

                    var segments = template.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
                    operations.Add(new ApiOperation(method.ToUpperInvariant(), template, segments, parameters, body, required));
                }
            }
        }

        return new ApiDescription(operations, evaluation);
    }

    /// <summary>The operation for a canonical path; literal segments win over parameters (/users/me before /users/{id}).</summary>
    public ApiOperation? Match(string method, string path)
    {
        var span = path.AsSpan().Trim('/');
        Span<Range> parts = stackalloc Range[32];
        var count = span.IsEmpty ? 0 : span.Split(parts, '/');
        ApiOperation? best = null;
        foreach (var op in Operations)
        {
            if (op.Segments.Length != count || !string.Equals(op.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var ok = true;
            for (var i = 0; i < count && ok; i++)
            {
                var seg = op.Segments[i];
                ok = seg.StartsWith('{') || span[parts[i]].Equals(seg, StringComparison.Ordinal);
            }

            if (ok && (best is null || op.LiteralSegments > best.LiteralSegments))
            {
                best = op;
            }
        }

        return best;
    }

    private static bool IsMethod(string name) =>
        name is "get" or "put" or "post" or "delete" or "options" or "head" or "patch" or "trace";

    private static void AddParameters(JsonObject root, JsonArray? list, List<ApiParameter> parameters, Uri baseUri)
    {
        if (list is null)
        {
            return;
        }

        foreach (var p in list)
        {
            if (Resolve(root, p) is not JsonObject parameter)
            {
                continue;
            }

            var name = parameter["name"]?.GetValue<string>() ?? "";
            var location = parameter["in"]?.GetValue<string>() ?? "query";
            var schemaNode = Resolve(root, parameter["schema"]);
            var type = schemaNode?["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
            parameters.RemoveAll(x => x.Name == name && x.In == location);
            parameters.Add(new ApiParameter(name, location, parameter["required"]?.GetValue<bool>() == true || location == "path",
                parameter["schema"] is JsonNode schema ? Compile(schema, baseUri) : null, type));
        }
    }

    /// <summary>Follows a local "$ref" (components) in the document's JSON.</summary>
    private static JsonNode? Resolve(JsonObject root, JsonNode? node)
    {
        for (var depth = 0; depth < 8 && node is JsonObject o && o["$ref"] is JsonValue r && r.TryGetValue<string>(out var reference) && reference.StartsWith("#/", StringComparison.Ordinal); depth++)
        {
            JsonNode? current = root;
            foreach (var part in reference[2..].Split('/'))
            {
                current = current?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }

            node = current;
        }

        return node;
    }

    /// <summary>A schema from the document: its local "$ref"s point into the registered document by URI.</summary>
    private static JsonSchema Compile(JsonNode schema, Uri baseUri)
    {
        var copy = schema.DeepClone();
        Rebase(copy, baseUri);
        return JsonSchema.FromText(copy.ToJsonString());
    }

    private static void Rebase(JsonNode? node, Uri baseUri)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["$ref"] is JsonValue r && r.TryGetValue<string>(out var reference) && reference.StartsWith('#'))
                {
                    o["$ref"] = baseUri + reference;
                }

                foreach (var (_, child) in o.ToList())
                {
                    Rebase(child, baseUri);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Rebase(child, baseUri);
                }

                break;
        }
    }
}
