namespace Analytics.Inspection;

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
    /// <summary>A multipart part's file name (<c>filename</c> or <c>filename*</c>).</summary>
    BodyFile,
    /// <summary>A body as one document: the raw body, or an uploaded text file's content.</summary>
    BodyRaw,
    /// <summary>A request header's name.</summary>
    HeaderName,
    /// <summary>A cookie's name.</summary>
    CookieName,
    /// <summary>One decoded segment of the path.</summary>
    PathSegment,
    /// <summary>The request line: method, target form, version.</summary>
    RequestLine,
    /// <summary>A multipart part's header line (name and value).</summary>
    BodyPartHeader,
}

/// <summary>A value's location and parameter name, as exclusions and error messages name it.</summary>
internal readonly record struct ValueLocation(LocationKind Kind, string? Name)
{
    public bool IsBody => Kind is LocationKind.BodyKey or LocationKind.BodyValue or LocationKind.BodyFile or LocationKind.BodyRaw or LocationKind.BodyPartHeader;

    public bool IsKey => Kind is LocationKind.QueryKey or LocationKind.BodyKey or LocationKind.HeaderName or LocationKind.CookieName;

    /// <summary>The prefix used in exclusions: <c>path</c>, <c>query</c>, <c>header</c>, <c>cookie</c>, <c>body</c>, <c>request</c>.</summary>
    public string Prefix => Kind switch
    {
        LocationKind.Path or LocationKind.PathSegment => "path",
        LocationKind.QueryKey or LocationKind.QueryValue => "query",
        LocationKind.Header or LocationKind.HeaderName => "header",
        LocationKind.Cookie or LocationKind.CookieName => "cookie",
        LocationKind.RequestLine => "request",
        _ => "body",
    };

    public override string ToString() => Name is null ? Prefix : $"{Prefix}:{Name}";
}
