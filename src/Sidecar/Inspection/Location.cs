namespace Analytics.Sidecar.Inspection;

/// <summary>Where in the request a value was found; each has its own grammar.</summary>
internal enum LocationKind
{
    Path,
    QueryKey,
    QueryValue,
    Header,
    Cookie,
    BodyKey,
    BodyValue,
    BodyFile,
    BodyRaw,
}

/// <summary>A value's location and parameter name, as exclusions and error messages name it.</summary>
internal readonly record struct ValueLocation(LocationKind Kind, string? Name)
{
    public bool IsBody => Kind is LocationKind.BodyKey or LocationKind.BodyValue or LocationKind.BodyFile or LocationKind.BodyRaw;

    public bool IsKey => Kind is LocationKind.QueryKey or LocationKind.BodyKey;

    /// <summary>The prefix used in exclusions: <c>path</c>, <c>query</c>, <c>header</c>, <c>cookie</c>, <c>body</c>.</summary>
    public string Prefix => Kind switch
    {
        LocationKind.Path => "path",
        LocationKind.QueryKey or LocationKind.QueryValue => "query",
        LocationKind.Header => "header",
        LocationKind.Cookie => "cookie",
        _ => "body",
    };

    public override string ToString() => Name is null ? Prefix : $"{Prefix}:{Name}";
}
