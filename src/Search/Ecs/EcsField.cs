namespace Analytics.Search.Ecs;

/// <summary>One leaf field of the search documents: its dotted name, its Elasticsearch type, and whether it holds a list.</summary>
public sealed record EcsField(string Name, string EsType, bool IsArray)
{
    /// <summary>ip, keyword-like and text fields compare as strings.</summary>
    public bool IsText => EsType is "keyword" or "constant_keyword" or "wildcard" or "match_only_text" or "text" or "ip";

    public bool IsNumber => EsType is "long" or "integer" or "short" or "byte" or "double" or "float" or "half_float" or "scaled_float";

    public bool IsInteger => EsType is "long" or "integer" or "short" or "byte";

    public bool IsDate => EsType is "date" or "date_nanos";

    public bool IsBoolean => EsType == "boolean";

    /// <summary>A free-form object (evidence features): searchable only as existing or not.</summary>
    public bool IsObject => EsType == "flattened";
}
