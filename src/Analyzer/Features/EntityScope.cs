namespace Analytics.Analyzer.Features;

/// <summary>The kinds of entity the analyzer keeps windows for.</summary>
internal enum EntityScope : byte
{
    Ip = 0,
    ApiKey = 1,
    Subject = 2,
    Route = 3,
}

/// <summary>Maps scopes to decision scopes and display names.</summary>
internal static class EntityScopes
{
    public const int Count = 4;

    public static string Name(EntityScope scope) => scope switch
    {
        EntityScope.Ip => "ip",
        EntityScope.ApiKey => "api_key",
        EntityScope.Subject => "subject",
        _ => "route",
    };
}
