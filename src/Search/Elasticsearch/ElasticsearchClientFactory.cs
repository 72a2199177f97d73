using Elastic.Clients.Elasticsearch;
using Elastic.Transport;

namespace Analytics.Search.Elasticsearch;

/// <summary>Builds the client from <see cref="ElasticsearchOptions"/>: one node, API key or basic auth.</summary>
public static class ElasticsearchClientFactory
{
    public static ElasticsearchClient Create(ElasticsearchOptions options)
    {
        var settings = new ElasticsearchClientSettings(new Uri(options.Url!))
            .RequestTimeout(options.RequestTimeout)
            // Retries are ours, per item and with back-off; the transport must not resend whole batches on its own.
            .MaximumRetries(0);
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            settings = settings.Authentication(new ApiKey(options.ApiKey));
        }
        else if (!string.IsNullOrEmpty(options.Username))
        {
            settings = settings.Authentication(new BasicAuthentication(options.Username, options.Password ?? ""));
        }

        return new ElasticsearchClient(settings);
    }
}
