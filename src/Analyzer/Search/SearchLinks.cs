using Analytics.Messaging;
using Analytics.Messaging.Links;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Search;

/// <summary>Adds <c>links.kibana</c> to alerts when <c>Search:KibanaUrl</c> is set: Discover on the entity, from an hour before the evidence to a quarter hour after.</summary>
internal sealed class SearchLinks(IOptions<SearchOptions> options)
{
    public const string Kibana = "kibana";

    public Alert Decorate(Alert alert)
    {
        var baseUrl = options.Value.KibanaUrl;
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            return alert;
        }

        var start = alert.Evidence?.WindowStart is { } ws && ws < alert.FirstSeen ? ws : alert.FirstSeen;
        var end = alert.Evidence?.WindowEnd is { } we && we > alert.LastSeen ? we : alert.LastSeen;
        var link = KibanaDiscoverLink.ForEntity(baseUrl, alert.Entity, start.AddHours(-1), end.AddMinutes(15));
        if (link is null)
        {
            return alert;
        }

        var links = new Dictionary<string, string>(alert.Links) { [Kibana] = link };
        return alert with { Links = links };
    }
}
