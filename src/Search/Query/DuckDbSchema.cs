using Analytics.Search.Ecs;

namespace Analytics.Search.Query;

/// <summary>
/// DuckDB's view of the archive: the <c>columns</c> argument of <c>read_json</c> (nested STRUCTs
/// built from the schema, so nothing is inferred) and the flat projection with one column per
/// dotted field name.
/// </summary>
internal static class DuckDbSchema
{
    public static string Columns(EcsSchema schema) =>
        "{" + string.Join(", ", TopLevel(schema).Select(c => "'" + c.Name + "': '" + c.Type.Replace("'", "''", StringComparison.Ordinal) + "'")) + "}";

    /// <summary>The top-level columns and their DuckDB types (nested fields as STRUCTs).</summary>
    public static IReadOnlyList<(string Name, string Type)> TopLevel(EcsSchema schema)
    {
        var root = new Node();
        foreach (var f in schema.Fields)
        {
            var node = root;
            var parts = f.Name.Split('.');
            for (var i = 0; i < parts.Length - 1; i++)
            {
                node = node.Children.TryGetValue(parts[i], out var child) ? child : node.Children[parts[i]] = new Node();
            }

            node.Children[parts[^1]] = new Node { Type = LeafType(f) };
        }

        return root.Children.Select(c => (c.Key, TypeOf(c.Value))).ToList();
    }

    /// <summary><c>expr AS "a.b.c"</c> for every field; dates become TIMESTAMP (UTC).</summary>
    public static string Projection(EcsSchema schema) =>
        string.Join(", ", schema.Fields.Select(f => Expression(f) + " AS " + SqlQuery.Column(f.Name)));

    private static string Expression(EcsField f)
    {
        var parts = f.Name.Split('.');
        var expr = SqlQuery.Column(parts[0]);
        foreach (var p in parts.Skip(1))
        {
            expr = $"struct_extract({expr}, '{p}')";
        }

        return f.IsDate ? $"CAST({expr} AS TIMESTAMP)" : expr;
    }

    private static string LeafType(EcsField f) =>
        f.IsObject ? "JSON"
        : f.IsInteger ? "BIGINT"
        : f.IsNumber ? "DOUBLE"
        : f.IsBoolean ? "BOOLEAN"
        : f.IsArray ? "VARCHAR[]"
        : "VARCHAR";

    private static string TypeOf(Node node) =>
        node.Type ?? "STRUCT(" + string.Join(", ", node.Children.Select(c => "\"" + c.Key + "\" " + TypeOf(c.Value))) + ")";

    private sealed class Node
    {
        public string? Type { get; init; }
        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);
    }
}
