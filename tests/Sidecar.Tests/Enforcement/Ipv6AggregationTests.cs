using System.Net;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Enforcement;

/// <summary>IPv6 clients count by their aggregation prefix (a /64 by default) in decisions and rate limits, over a real sidecar behind a trusted proxy on loopback.</summary>
public sealed class Ipv6AggregationTests
{
    [Fact]
    public async Task An_ip_block_on_an_ipv6_address_covers_its_64()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:Proxy:TrustedProxies:0"] = "127.0.0.1", captureEvents: false);
        using var admin = sidecar.Admin();
        using var posted = await admin.PostAsync("/decisions", HttpExtensions.Json("""{"scope":"ip","value":"2001:db8:5:6::1","action":"block","ttl_seconds":300}"""));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        using var client = sidecar.Client();

        using var rotated = await client.GetWithAsync("/open/x", configure: r => r.Headers.Add("X-Forwarded-For", "2001:db8:5:6:aaaa:bbbb:cccc:dddd"));
        using var other = await client.GetWithAsync("/open/x", configure: r => r.Headers.Add("X-Forwarded-For", "2001:db8:5:7::1"));

        Assert.Equal(HttpStatusCode.Forbidden, rotated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task The_aggregation_prefix_is_a_setting_used_by_rate_limit_partitions()
    {
        await using var sidecar = await TestSidecar.StartAsync(c =>
        {
            c["Sidecar:Proxy:TrustedProxies:0"] = "127.0.0.1";
            c["Sidecar:Proxy:Ipv6AggregationPrefix"] = "56";
        }, captureEvents: false);
        using var client = sidecar.Client();

        // "tight" allows 3 a second per partition: four /64s of one /56 share it.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await client.GetWithAsync("/limited/x", configure: r => r.Headers.Add("X-Forwarded-For", $"2001:db8:7:{i:x}0::1"));
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}
