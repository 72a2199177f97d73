namespace Analytics.Search.Elasticsearch;

/// <summary>The Elasticsearch cluster the documents go to (<c>Search:Elasticsearch</c>); off while <see cref="Url"/> is empty.</summary>
public sealed class ElasticsearchOptions
{
    public string? Url { get; set; }

    /// <summary>An API key (the encoded form Elasticsearch returns); wins over basic auth.</summary>
    public string? ApiKey { get; set; }

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>Apply the ILM policy and the templates at start (off when an operator manages them).</summary>
    public bool ApplyTemplates { get; set; } = true;

    /// <summary>The ILM policy deletes backing indices this many days after rollover.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>First back-off after a 429, a 5xx or an unreachable cluster; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
