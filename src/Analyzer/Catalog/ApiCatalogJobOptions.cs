namespace Analytics.Analyzer.Catalog;

/// <summary>The API catalog job (<c>Analyzer:Catalog</c>): where to read each service's observed catalog and its documented API.</summary>
public sealed class ApiCatalogJobOptions
{
    public const string SectionPath = "Analyzer:Catalog";

    /// <summary>Services to check, by name.</summary>
    public Dictionary<string, CatalogSource> Services { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A documented operation with no traffic for this many days is a zombie.</summary>
    public int ZombieAfterDays { get; set; } = 30;
}

/// <summary>One service: its sidecar's admin API and its OpenAPI document.</summary>
public sealed class CatalogSource
{
    /// <summary>The sidecar's admin API base URL (it serves <c>GET /catalog</c>).</summary>
    public string AdminUrl { get; set; } = "";

    /// <summary>The sidecar's admin token (sent as a bearer token).</summary>
    public string? AdminToken { get; set; }

    /// <summary>The service's OpenAPI 3 document (JSON or YAML file); without one, nothing is documented and zombies cannot be told.</summary>
    public string? OpenApi { get; set; }
}
