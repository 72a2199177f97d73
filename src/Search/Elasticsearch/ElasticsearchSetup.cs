using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using HttpMethod = Elastic.Transport.HttpMethod;

namespace Analytics.Search.Elasticsearch;

/// <summary>
/// Applies the ILM policy, the component templates and the composable index templates from the
/// embedded deploy/elasticsearch files, in that order (a template names the policy; a data
/// stream needs its template before its first document).
/// </summary>
public static class ElasticsearchSetup
{
    public const string PolicyName = "logs-analytics";
    public const string MappingsComponentName = "logs-analytics@mappings";
    public const string SettingsComponentName = "logs-analytics@settings";

    /// <summary>The requests in the order they are sent: method path, body.</summary>
    public static IReadOnlyList<(string Path, string Body)> Requests(int retentionDays)
    {
        var policy = JsonNode.Parse(SearchResources.Read(SearchResources.IlmPolicy))!;
        policy["policy"]!["phases"]!["delete"]!["min_age"] = retentionDays + "d";
        var list = new List<(string, string)>
        {
            ("/_ilm/policy/" + PolicyName, policy.ToJsonString()),
            ("/_component_template/" + MappingsComponentName, SearchResources.Read(SearchResources.MappingsComponent)),
            ("/_component_template/" + SettingsComponentName, SearchResources.Read(SearchResources.SettingsComponent)),
        };
        foreach (var stream in Ecs.SearchStream.All)
        {
            list.Add(("/_index_template/logs-" + stream.Dataset, SearchResources.Read("index-template-" + stream.Name + ".json")));
        }

        return list;
    }

    /// <summary>Sends every request; throws <see cref="ElasticsearchUnavailableException"/> on the first that fails.</summary>
    public static async Task ApplyAsync(ElasticsearchClient client, int retentionDays, CancellationToken cancellationToken)
    {
        foreach (var (path, body) in Requests(retentionDays))
        {
            var response = await client.Transport.RequestAsync<StringResponse>(HttpMethod.PUT, path, PostData.String(body), cancellationToken);
            var status = response.ApiCallDetails.HttpStatusCode;
            if (status is not (>= 200 and < 300))
            {
                throw new ElasticsearchUnavailableException(
                    $"PUT {path} answered {status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}: {Summarise(response.Body)}",
                    response.ApiCallDetails.OriginalException);
            }
        }
    }

    internal static string Summarise(string? body) =>
        body is null ? "" : body.Length <= 300 ? body : body[..300] + "...";
}
