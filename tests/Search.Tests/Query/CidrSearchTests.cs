using Analytics.Analyzer.Search;
using Analytics.Messaging;
using Analytics.Search.Archive;
using Analytics.Search.Ecs;
using Analytics.Search.Query;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Search.Tests.Query;

/// <summary>CIDR values on ip fields (<c>source.ip:10.0.0.0/8</c>, <c>source.ip:"2001:db8::/32"</c>), run by DuckDB over the archive.</summary>
public sealed class CidrSearchTests : IDisposable
{
    private static readonly string[] Addresses =
    [
        "10.0.0.1", "10.255.255.255", "11.0.0.0", "9.255.255.255", "192.168.1.7", "192.168.2.7", "185.220.0.12", "185.220.1.12",
        "2001:db8::1", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::1", "::1", "2001:db8:0:1::5", "fe80::1",
    ];

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Samples.T0);

    private async Task<DocumentSearch> ArchiveAsync()
    {
        using var archive = new NdjsonArchive(new ArchiveOptions { Directory = _dir.Path, Fsync = false }, "default", _time);
        await archive.WriteAsync([.. Addresses.Select((a, i) => RequestEventMapping.ToDocument(Samples.Request(a, Samples.T0.AddMinutes(-10 + (i * 0.1))), "default"))], CancellationToken.None);
        return new DocumentSearch(_dir.Path);
    }

    private static List<string> Ips(SearchResult result) => [.. result.Rows.Select(r => (string)r[0]!).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("source.ip:10.0.0.0/8", "10.0.0.1,10.255.255.255")]
    [InlineData("source.ip:\"10.0.0.0/8\"", "10.0.0.1,10.255.255.255")]
    [InlineData("source.ip:10.1.2.3/8", "10.0.0.1,10.255.255.255")]
    [InlineData("source.ip:192.168.1.0/24", "192.168.1.7")]
    [InlineData("source.ip:192.168.0.0/22", "192.168.1.7,192.168.2.7")]
    [InlineData("source.ip:185.220.0.0/23 and not source.ip:185.220.1.0/24", "185.220.0.12")]
    [InlineData("source.ip:0.0.0.0/0", "10.0.0.1,10.255.255.255,11.0.0.0,185.220.0.12,185.220.1.12,192.168.1.7,192.168.2.7,9.255.255.255")]
    [InlineData("source.ip:\"2001:db8::/32\"", "2001:db8:0:1::5,2001:db8::1,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("source.ip:\"2001:db8::/64\"", "2001:db8::1")]
    [InlineData("source.ip:\"2001:DB8::1\"", "2001:db8::1")]
    [InlineData("source.ip:\"::1/128\"", "::1")]
    [InlineData("source.ip:(10.0.0.0/8 or \"fe80::/10\")", "10.0.0.1,10.255.255.255,fe80::1")]
    public async Task A_range_matches_exactly_the_addresses_inside_it(string kql, string expected)
    {
        var search = await ArchiveAsync();

        var result = search.Search(new SearchRequest { Query = kql, Since = Samples.T0.AddHours(-1), Fields = ["source.ip"], Limit = 100 });

        Assert.Equal(expected.Split(',').Order(StringComparer.Ordinal), Ips(result));
    }

    [Theory]
    [InlineData("source.ip:10.0.0.0/33", 11)]
    [InlineData("source.ip:\"2001:db8::/129\"", 11)]
    [InlineData("source.ip:10.0.0/8", 11)]
    [InlineData("source.ip:\"10.0.0.0/8; drop table docs\"", 11)]
    public void A_bad_range_is_an_error_naming_the_value(string kql, int column)
    {
        var ex = Assert.Throws<KqlSyntaxException>(() => new KqlSqlCompiler(EcsSchema.Default).Compile(KqlParser.Parse(kql), new SqlQuery()));
        Assert.Equal(column, ex.Position);
        Assert.Contains("CIDR range", ex.Message);
    }

    [Fact]
    public void The_bounds_are_parameters_and_ipv4_lives_in_the_mapped_space()
    {
        var sql = new SqlQuery();
        var where = new KqlSqlCompiler(EcsSchema.Default).Compile(KqlParser.Parse("source.ip:10.0.0.0/8"), sql);

        Assert.DoesNotContain("10.", where, StringComparison.Ordinal);
        Assert.Equal(["00000000000000000000ffff0a000000", "00000000000000000000ffff0affffff"], sql.Parameters);
    }

    [Fact]
    public async Task The_discover_link_of_a_range_decision_is_a_query_this_search_runs()
    {
        // Alerts (and through them the decisions they name) carry Discover on the entity; for a
        // cidr decision that is source.ip:"a.b.c.0/24", which the archive search now answers too.
        var links = new SearchLinks(Options.Create(new SearchOptions { KibanaUrl = "http://kibana.example:5601" }));
        var alert = links.Decorate(Samples.Alert(AlertTypes.CredentialStuffing, "cidr:185.220.0.0/24", Samples.T0.AddMinutes(-5)));
        var link = Uri.UnescapeDataString(alert.Links[SearchLinks.Kibana]);
        var kql = link[(link.IndexOf("query:'", StringComparison.Ordinal) + 7)..link.LastIndexOf("'))", StringComparison.Ordinal)];
        Assert.Equal("source.ip:\"185.220.0.0/24\"", kql);

        var search = await ArchiveAsync();
        var result = search.Search(new SearchRequest { Query = kql, Since = Samples.T0.AddHours(-1), Fields = ["source.ip"] });

        Assert.Equal(["185.220.0.12"], Ips(result));
    }

    public void Dispose() => _dir.Dispose();
}
