namespace Analytics.Search.Elasticsearch;

/// <summary>The cluster could not be reached or refused a whole request; the caller backs off and tries again.</summary>
public sealed class ElasticsearchUnavailableException : Exception
{
    public ElasticsearchUnavailableException()
    {
    }

    public ElasticsearchUnavailableException(string message) : base(message)
    {
    }

    public ElasticsearchUnavailableException(string message, Exception? inner) : base(message, inner)
    {
    }
}
