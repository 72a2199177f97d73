using Microsoft.OpenApi;

namespace Analytics.Sidecar.Catalog;

/// <summary>Writes the learned catalog as an OpenAPI 3 document (JSON), built with Microsoft.OpenApi's object model.</summary>
internal static class CatalogOpenApiExporter
{
    public static string Export(CatalogSnapshot snapshot, string title)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = title,
                Version = snapshot.GeneratedAt.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                Description = "Operations observed by the sidecar (learned from traffic, not declared by the service).",
            },
            Paths = [],
        };

        foreach (var op in snapshot.Operations)
        {
            if (!document.Paths.TryGetValue(op.Path, out var item))
            {
                var pathItem = new OpenApiPathItem { Operations = [] };
                foreach (var name in Parameters(op.Path))
                {
                    pathItem.Parameters ??= [];
                    pathItem.Parameters.Add(new OpenApiParameter
                    {
                        Name = name,
                        In = ParameterLocation.Path,
                        Required = true,
                        Schema = new OpenApiSchema { Type = name == "id" ? JsonSchemaType.Integer : JsonSchemaType.String },
                    });
                }

                document.Paths[op.Path] = pathItem;
                item = pathItem;
            }

            var operation = new OpenApiOperation
            {
                Summary = $"observed {op.Count} times, last {op.LastSeen:O}",
                Responses = [],
            };
            foreach (var (status, count) in op.Status)
            {
                if (count > 0)
                {
                    operation.Responses[status.ToUpperInvariant()] = new OpenApiResponse { Description = $"{count} responses" };
                }
            }

            if (operation.Responses.Count == 0)
            {
                operation.Responses["default"] = new OpenApiResponse { Description = "no response recorded" };
            }

            ((OpenApiPathItem)item).Operations![new HttpMethod(op.Method)] = operation;
        }

        using var writer = new StringWriter();
        document.SerializeAsV3(new OpenApiJsonWriter(writer));
        return writer.ToString();
    }

    private static IEnumerable<string> Parameters(string template)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var segment in template.Split('/'))
        {
            if (segment.Length > 2 && segment[0] == '{' && segment[^1] == '}')
            {
                yield return segment[1..^1];
            }
        }
    }
}
