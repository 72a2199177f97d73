namespace Analytics.Search.Tests.Support;

/// <summary>A test that needs a real Elasticsearch cluster: skipped, saying why, when <c>ELASTICSEARCH_URL</c> is not set.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ElasticsearchFactAttribute : FactAttribute
{
    public ElasticsearchFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ELASTICSEARCH_URL")))
        {
            Skip = "needs a real Elasticsearch cluster: set ELASTICSEARCH_URL (and ELASTICSEARCH_USERNAME/_PASSWORD or _API_KEY)";
        }
    }
}
