using Analytics.Messaging;
using Analytics.Search.Ecs;
using Microsoft.Extensions.Options;

namespace Analytics.Analyzer.Search;

/// <summary>Adds <c>links.kibana</c> to alerts when <c>Search:KibanaUrl</c> is set: Discover on the entity around the evidence (<see cref="KibanaLinks"/>, which decisions' documents use too).</summary>
internal sealed class SearchLinks(IOptions<SearchOptions> options)
{
    public const string Kibana = KibanaLinks.LinkName;

    public Alert Decorate(Alert alert)
    {
        var start = alert.Evidence?.WindowStart is { } ws && ws < alert.FirstSeen ? ws : alert.FirstSeen;
        var end = alert.Evidence?.WindowEnd is { } we && we > alert.LastSeen ? we : alert.LastSeen;
        var link = KibanaLinks.ForWindow(options.Value.KibanaUrl, alert.Entity, start, end);
        if (link is null)
        {
            return alert;
        }

        var links = new Dictionary<string, string>(alert.Links) { [Kibana] = link };
        return alert with { Links = links };
    }
}
