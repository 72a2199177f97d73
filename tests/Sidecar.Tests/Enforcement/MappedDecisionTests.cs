using System.Net;
using Analytics.Messaging;
using Analytics.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Sidecar.Tests.Enforcement;

/// <summary>
/// Decisions written in IPv4-mapped IPv6 form (<c>::ffff:a.b.c.d</c>) mean the IPv4 client: the
/// sidecar folds client addresses to IPv4, so it folds such decisions on input too.
/// </summary>
public sealed class MappedDecisionTests : IAsyncLifetime
{
    private TestSidecar _sidecar = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _sidecar = await TestSidecar.StartAsync(captureEvents: false);
        _admin = _sidecar.Admin();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _sidecar.DisposeAsync();
    }

    [Theory]
    [InlineData("cidr", "::ffff:127.0.36.0/120", "127.0.36.0/24", "127.0.36.9")]
    [InlineData("cidr", "::FFFF:127.0.37.8/126", "127.0.37.8/30", "127.0.37.9")]
    [InlineData("ip", "::ffff:127.0.38.9", "127.0.38.9", "127.0.38.9")]
    public async Task A_mapped_decision_from_the_admin_api_blocks_the_ipv4_client(string scope, string value, string stored, string clientAddress)
    {
        using var client = _sidecar.Client(clientAddress);
        using (var before = await client.GetAsync("/open/x"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var posted = await _admin.PostAsync("/decisions",
            HttpExtensions.Json($$"""{"scope":"{{scope}}","value":"{{value}}","action":"block","reason":"test","ttl_seconds":300}"""));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(stored, (await posted.JsonAsync()).GetProperty("value").GetString());

        using var blocked = await client.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
    }

    [Fact]
    public async Task A_mapped_decision_from_the_stream_blocks_the_ipv4_client_and_its_tombstone_lifts_it()
    {
        using var client = _sidecar.Client("127.0.39.9");
        var now = DateTimeOffset.UtcNow;
        var decision = new Decision
        {
            Id = "mapped-1", Scope = DecisionScopes.Cidr, Value = "::ffff:127.0.39.0/120", Action = DecisionActions.Block,
            Reason = "test", Source = "manual", Created = now, Expires = now.AddHours(1),
        };
        var producer = _sidecar.Services.GetRequiredService<IStreamTransport>().GetProducer(Streams.Decisions);
        await producer.PublishAsync(decision.Key, decision);

        await HttpExtensions.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync("/open/x");
            return response.StatusCode == HttpStatusCode.Forbidden;
        }, "the mapped range to block 127.0.39.9");

        using var listed = await _admin.GetAsync("/decisions");
        var values = (await listed.JsonAsync()).EnumerateArray().Select(d => d.GetProperty("value").GetString()).ToList();
        Assert.Contains("127.0.39.0/24", values);

        await producer.PublishAsync(decision.Key, null);
        await HttpExtensions.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync("/open/x");
            return response.StatusCode == HttpStatusCode.OK;
        }, "the tombstone under the mapped key to lift the block");
    }
}
