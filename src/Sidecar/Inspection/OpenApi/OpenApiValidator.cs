using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Analytics.Inspection;
using Analytics.Inspection.Normalization;
using Json.Schema;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Inspection.OpenApi;

/// <summary>
/// Validates a request against its operation: required parameters, parameter schemas (values
/// coerced from text by the declared type) and the JSON body schema. Errors name the field and
/// the failed keyword, never the value.
/// </summary>
internal static class OpenApiValidator
{
    public static List<string> Validate(ApiOperation operation, ApiDescription description, HttpRequest request, string canonicalPath, string? rawQuery, ReadOnlySpan<byte> body, bool truncated)
    {
        var errors = new List<string>();
        Dictionary<string, string>? query = null;
        foreach (var p in operation.Parameters)
        {
            string? value = null;
            switch (p.In)
            {
                case "path":
                    value = PathValue(operation, canonicalPath, p.Name);
                    break;
                case "query":
                    query ??= ParseQuery(rawQuery);
                    value = query.TryGetValue(p.Name, out var q) ? q : null;
                    break;
                case "header":
                    value = request.Headers.TryGetValue(p.Name, out var h) ? h.ToString() : null;
                    break;
                default:
                    continue;
            }

            var field = $"{p.In}.{p.Name}";
            if (value is null)
            {
                if (p.Required)
                {
                    errors.Add($"{field}: required");
                }

                continue;
            }

            if (p.Schema is not null)
            {
                Evaluate(p.Schema, Coerce(value, p.Type), description, field, errors);
            }
        }

        if (operation.BodySchema is not null || operation.BodyRequired)
        {
            if (body.IsEmpty)
            {
                if (operation.BodyRequired)
                {
                    errors.Add("body: required");
                }
            }
            else if (operation.BodySchema is not null && !truncated && (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? true))
            {
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(body);
                }
                catch (JsonException)
                {
                    errors.Add("body: not valid JSON");
                    return errors;
                }

                Evaluate(operation.BodySchema, node, description, "body", errors);
            }
        }

        return errors;
    }

    private static void Evaluate(JsonSchema schema, JsonNode? node, ApiDescription description, string field, List<string> errors)
    {
        var result = schema.Evaluate(node, description.Evaluation);
        if (result.IsValid)
        {
            return;
        }

        var before = errors.Count;
        if (result.Details is { Count: > 0 } details)
        {
            foreach (var d in details)
            {
                if (d.IsValid || d.Errors is null || d.Errors.Count == 0)
                {
                    continue;
                }

                foreach (var keyword in d.Errors.Keys)
                {
                    var location = d.InstanceLocation.ToString();
                    var name = location.Length == 0 ? field : field == "body" ? "body" + location : field + location;
                    var message = $"{name}: {keyword}";
                    if (!errors.Contains(message))
                    {
                        errors.Add(message);
                    }
                }
            }
        }

        if (errors.Count == before)
        {
            errors.Add($"{field}: invalid");
        }
    }

    /// <summary>Parameter text as the JSON value its declared type means, so "12" validates as an integer.</summary>
    private static JsonNode? Coerce(string value, string? type)
    {
        switch (type)
        {
            case "integer" when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                return JsonValue.Create(l);
            case "number" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                return JsonValue.Create(d);
            case "boolean" when bool.TryParse(value, out var b):
                return JsonValue.Create(b);
            default:
                return JsonValue.Create(value);
        }
    }

    private static string? PathValue(ApiOperation operation, string path, string name)
    {
        var parts = path.Trim('/').Split('/');
        for (var i = 0; i < operation.Segments.Length && i < parts.Length; i++)
        {
            if (operation.Segments[i] == "{" + name + "}")
            {
                return parts[i];
            }
        }

        return null;
    }

    private static Dictionary<string, string> ParseQuery(string? raw)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(raw))
        {
            return result;
        }

        foreach (var pair in raw.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var flags = DecodeFlags.None;
            var key = PercentDecoder.Decode(eq < 0 ? pair : pair[..eq], plusAsSpace: true, ref flags, 1);
            var value = eq < 0 ? "" : PercentDecoder.Decode(pair[(eq + 1)..], plusAsSpace: true, ref flags, 1);
            result.TryAdd(key, value);
        }

        return result;
    }
}
