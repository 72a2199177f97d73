using System.Globalization;
using System.Text;

namespace Analytics.Messaging.Links;

/// <summary>Builds a Kibana Discover URL filtered to one entity and a time window (the forensic view people open from an alert or a decision).</summary>
public static class KibanaDiscoverLink
{
    /// <summary>The id of the requests data view in the shipped Kibana saved objects (deploy/kibana).</summary>
    public const string RequestsDataViewId = "analytics-requests";

    /// <summary>
    /// A Discover link for <paramref name="entity"/> (<c>scope:value</c>, as in Decision and Alert keys)
    /// between <paramref name="from"/> and <paramref name="to"/>, or null when the entity has no scope.
    /// </summary>
    public static string? ForEntity(string kibanaBaseUrl, string entity, DateTimeOffset from, DateTimeOffset to, string dataViewId = RequestsDataViewId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kibanaBaseUrl);
        var colon = entity.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == entity.Length - 1)
        {
            return null;
        }

        var scope = entity[..colon];
        var value = entity[(colon + 1)..];
        var field = scope switch
        {
            "ip" or "cidr" => "source.ip",
            "api_key" or "subject" => "user.id",
            "route" => "analytics.route.id",
            _ => null,
        };

        // KQL: a quoted value matches literally; an ip field also accepts a CIDR.
        var kql = field is null
            ? Quote(value)
            : field + ":" + Quote(value);
        var g = "(time:(from:" + Rison(from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))
            + ",to:" + Rison(to.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)) + "))";
        var a = "(dataSource:(dataViewId:" + Rison(dataViewId) + ",type:dataView),query:(language:kuery,query:" + Rison(kql) + "))";
        return kibanaBaseUrl.TrimEnd('/') + "/app/discover#/?_g=" + Uri.EscapeDataString(g) + "&_a=" + Uri.EscapeDataString(a);
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // Rison (the notation Kibana's URL state uses): strings in single quotes, ! escapes ' and !.
    private static string Rison(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (c is '\'' or '!')
            {
                sb.Append('!');
            }

            sb.Append(c);
        }

        return sb.Append('\'').ToString();
    }
}
