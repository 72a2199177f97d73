using Analytics.Messaging.Links;

namespace Analytics.Messaging.Tests.Links;

public sealed class KibanaDiscoverLinkTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ip_entity_filters_source_ip_in_the_window()
    {
        var link = KibanaDiscoverLink.ForEntity("https://kibana.example/", "ip:203.0.113.7", From, From.AddHours(1))!;
        var decoded = Uri.UnescapeDataString(link);

        Assert.StartsWith("https://kibana.example/app/discover#/?_g=", link, StringComparison.Ordinal);
        Assert.Contains("from:'2026-11-30T10:00:00.000Z',to:'2026-11-30T11:00:00.000Z'", decoded, StringComparison.Ordinal);
        Assert.Contains("query:'source.ip:\"203.0.113.7\"'", decoded, StringComparison.Ordinal);
        Assert.Contains("dataViewId:'analytics-requests'", decoded, StringComparison.Ordinal);
    }

    [Fact]
    public void Quotes_in_values_are_escaped_for_kql_and_rison()
    {
        var link = KibanaDiscoverLink.ForEntity("http://k", "subject:o'brien\"!", From, From.AddMinutes(5))!;
        var decoded = Uri.UnescapeDataString(link);

        Assert.Contains("query:'user.id:\"o!'brien\\\"!!\"'", decoded, StringComparison.Ordinal);
    }

    [Fact]
    public void Entity_without_scope_gives_no_link() =>
        Assert.Null(KibanaDiscoverLink.ForEntity("http://k", "203.0.113.7", From, From));
}
