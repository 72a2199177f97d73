using Analytics.Messaging.Links;

namespace Analytics.Search.Ecs;

/// <summary>
/// The Kibana Discover link an alert or a decision carries when <c>Search:KibanaUrl</c> is set: the
/// entity, from an hour before its evidence window to a quarter hour after, so the lead-up and
/// what followed are both on screen.
/// </summary>
public static class KibanaLinks
{
    /// <summary>The key of the link in an alert's <c>links</c>.</summary>
    public const string LinkName = "kibana";

    public static readonly TimeSpan Before = TimeSpan.FromHours(1);
    public static readonly TimeSpan After = TimeSpan.FromMinutes(15);

    /// <summary>The link, or null when no Kibana URL is configured or the entity has no scope.</summary>
    public static string? ForWindow(string? kibanaUrl, string entity, DateTimeOffset windowStart, DateTimeOffset windowEnd) =>
        string.IsNullOrWhiteSpace(kibanaUrl)
            ? null
            : KibanaDiscoverLink.ForEntity(kibanaUrl, entity, windowStart - Before, windowEnd + After);
}
