using System.Net;
using Analytics.Messaging;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Enforcement;

/// <summary>Decisions posted to the admin API, enforced on the proxy listener of a real sidecar.</summary>
public sealed class DecisionEnforcementTests : IAsyncLifetime
{
    private TestSidecar _sidecar = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _sidecar = await TestSidecar.StartAsync();
        _admin = _sidecar.Admin();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _sidecar.DisposeAsync();
    }

    [Theory]
    [InlineData("ip", "127.0.0.31", "127.0.0.31")]
    [InlineData("cidr", "127.0.32.0/24", "127.0.32.9")]
    public async Task Ip_and_cidr_blocks_answer_403_until_lifted(string scope, string value, string clientAddress)
    {
        using var client = _sidecar.Client(clientAddress);
        var id = await PostAsync($$"""{"scope":"{{scope}}","value":"{{value}}","action":"block","reason":"test","ttl_seconds":300}""");

        using var blocked = await client.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal("application/problem+json", blocked.Content.Headers.ContentType?.MediaType);
        var evt = await _sidecar.EventAsync(e => e.RequestId == blocked.RequestId());
        Assert.Equal(RejectionReasons.Decision, evt.RejectedBy);
        Assert.Equal(id, evt.DecisionId);
        Assert.Equal(403, evt.Status);

        using var lift = await _admin.DeleteAsync($"/decisions/{id}");
        Assert.Equal(HttpStatusCode.NoContent, lift.StatusCode);
        using var allowed = await client.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Api_key_block_applies_after_authentication()
    {
        using var client = _sidecar.Client();
        var id = await PostAsync("""{"scope":"api_key","value":"reader","action":"block","ttl_seconds":300}""");

        using var blocked = await client.GetWithAsync("/keys/x", apiKey: TestSidecar.ReaderKey);
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        var evt = await _sidecar.EventAsync(e => e.RequestId == blocked.RequestId());
        Assert.Equal(id, evt.DecisionId);
        Assert.Equal(AuthOutcomes.Success, evt.Auth.Outcome);

        // Another principal from the same address is not affected.
        using var other = await client.GetWithAsync("/open/x", apiKey: TestSidecar.PlainKey);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        using var lift = await _admin.DeleteAsync($"/decisions/{id}");
        using var allowed = await client.GetWithAsync("/keys/x", apiKey: TestSidecar.ReaderKey);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Subject_block_applies_to_that_jwt_subject()
    {
        using var client = _sidecar.Client();
        await PostAsync("""{"scope":"subject","value":"mallory","action":"block","ttl_seconds":300}""");

        using var blocked = await client.GetWithAsync("/orders/1", bearer: _sidecar.Upstream.Token(subject: "mallory"));
        using var fine = await client.GetWithAsync("/orders/1", bearer: _sidecar.Upstream.Token(subject: "alice"));

        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task Block_stops_after_it_expires()
    {
        using var client = _sidecar.Client("127.0.0.33");
        await PostAsync("""{"scope":"ip","value":"127.0.0.33","action":"block","ttl_seconds":1}""");

        using var blocked = await client.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        await HttpExtensions.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync("/open/x");
            return response.StatusCode == HttpStatusCode.OK;
        }, "the block to expire");
    }

    [Fact]
    public async Task Allowlist_beats_block()
    {
        using var client = _sidecar.Client("127.0.34.5");
        await PostAsync("""{"scope":"cidr","value":"127.0.34.0/24","action":"block","ttl_seconds":300}""");
        await PostAsync("""{"scope":"ip","value":"127.0.34.5","action":"allow","ttl_seconds":300}""");

        using var allowed = await client.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        using var neighbour = _sidecar.Client("127.0.34.6");
        using var blocked = await neighbour.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
    }

    [Fact]
    public async Task Simulated_decision_does_not_block_but_is_counted()
    {
        using var client = _sidecar.Client("127.0.0.36");
        await PostAsync("""{"scope":"ip","value":"127.0.0.36","action":"block","simulated":true,"ttl_seconds":300}""");

        using var response = await client.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stats = await _admin.GetAsync("/stats");
        Assert.True((await stats.JsonAsync()).GetProperty("simulated_matches").GetInt64() >= 1);
    }

    [Fact]
    public async Task Blocked_ip_is_also_refused_on_unrouted_paths()
    {
        using var client = _sidecar.Client("127.0.0.37");
        await PostAsync("""{"scope":"ip","value":"127.0.0.37","action":"block","ttl_seconds":300}""");

        using var response = await client.GetAsync("/.git/config");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<string> PostAsync(string json)
    {
        using var response = await _admin.PostAsync("/decisions", HttpExtensions.Json(json));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }
}
