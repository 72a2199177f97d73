using System.Text.Json;
using Analytics.Search.Elasticsearch;

namespace Analytics.Search.Ecs;

/// <summary>
/// The fields of the search documents, read from the Elasticsearch mappings component template
/// (deploy/elasticsearch), so the index mapping, the DuckDB schema and the query language share
/// one definition.
/// </summary>
public sealed class EcsSchema
{
    private readonly Dictionary<string, EcsField> _byName;

    private EcsSchema(IReadOnlyList<EcsField> fields)
    {
        Fields = fields;
        _byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>The schema of the embedded mappings template.</summary>
    public static EcsSchema Default { get; } = FromComponentTemplate(SearchResources.Read(SearchResources.MappingsComponent));

    /// <summary>Leaf fields in template order.</summary>
    public IReadOnlyList<EcsField> Fields { get; }

    public EcsField? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Flattens a component template's <c>template.mappings.properties</c> into dotted leaf fields.</summary>
    public static EcsSchema FromComponentTemplate(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var properties = doc.RootElement.GetProperty("template").GetProperty("mappings").GetProperty("properties");
        var fields = new List<EcsField>();
        Flatten(properties, "", fields);
        return new EcsSchema(fields);
    }

    private static void Flatten(JsonElement properties, string prefix, List<EcsField> into)
    {
        foreach (var p in properties.EnumerateObject())
        {
            var name = prefix + p.Name;
            if (p.Value.TryGetProperty("properties", out var nested))
            {
                Flatten(nested, name + ".", into);
                continue;
            }

            var isArray = p.Value.TryGetProperty("meta", out var meta) && meta.TryGetProperty("array", out var a) && a.GetString() == "true";
            into.Add(new EcsField(name, p.Value.GetProperty("type").GetString()!, isArray));
        }
    }
}
