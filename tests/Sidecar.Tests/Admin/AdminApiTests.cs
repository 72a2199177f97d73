using System.Net;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Admin;

public sealed class AdminApiTests : IAsyncLifetime
{
    private TestSidecar _sidecar = null!;

    public async Task InitializeAsync() => _sidecar = await TestSidecar.StartAsync();

    public async Task DisposeAsync() => await _sidecar.DisposeAsync();

    [Theory]
    [InlineData("/decisions")]
    [InlineData("/stats")]
    [InlineData("/metrics")]
    public async Task Every_endpoint_but_the_probes_requires_the_token(string path)
    {
        using var anonymous = _sidecar.Admin(withToken: false);
        using var wrong = _sidecar.Admin(withToken: false);
        wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong-token-wrong-token");

        using var none = await anonymous.GetAsync(path);
        using var bad = await wrong.GetAsync(path);
        using var health = await anonymous.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Post_without_token_does_not_create_a_decision()
    {
        using var anonymous = _sidecar.Admin(withToken: false);
        using var response = await anonymous.PostAsync("/decisions", HttpExtensions.Json("""{"scope":"ip","value":"127.0.0.40","action":"block","ttl_seconds":60}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        using var admin = _sidecar.Admin();
        using var list = await admin.GetAsync("/decisions");
        Assert.Equal(0, (await list.JsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task Admin_endpoints_are_not_reachable_on_the_proxy_listener()
    {
        using var client = _sidecar.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestSidecar.AdminToken);

        using var response = await client.GetAsync("/decisions");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Decisions_round_trip_with_ttl_and_list()
    {
        using var admin = _sidecar.Admin();
        using var created = await admin.PostAsync("/decisions", HttpExtensions.Json("""{"scope":"cidr","value":"2001:db8::/32","action":"block","reason":"manual","ttl_seconds":300}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var decision = await created.JsonAsync();
        Assert.Equal("manual", decision.GetProperty("source").GetString());
        Assert.True(decision.GetProperty("expires").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(200));

        using var list = await admin.GetAsync("/decisions");
        var listed = await list.JsonAsync();
        Assert.Equal(1, listed.GetArrayLength());
        Assert.Equal(decision.GetProperty("id").GetString(), listed[0].GetProperty("id").GetString());

        using var stats = await admin.GetAsync("/stats");
        Assert.Equal(1, (await stats.JsonAsync()).GetProperty("decisions_in_force").GetInt32());

        using var missing = await admin.DeleteAsync("/decisions/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("""{"scope":"planet","value":"x","action":"block"}""", "scope")]
    [InlineData("""{"scope":"ip","value":"not-an-ip","action":"block"}""", "value")]
    [InlineData("""{"scope":"cidr","value":"10.0.0.1/8","action":"block"}""", "value")]
    [InlineData("""{"scope":"ip","value":"10.0.0.1","action":"nuke"}""", "action")]
    [InlineData("""{"scope":"ip","value":"10.0.0.1","action":"throttle"}""", "rate")]
    [InlineData("""{"scope":"ip","value":"10.0.0.1","action":"block","ttl_seconds":-5}""", "ttl_seconds")]
    public async Task Invalid_decisions_are_400_naming_the_field(string json, string field)
    {
        using var admin = _sidecar.Admin();
        using var response = await admin.PostAsync("/decisions", HttpExtensions.Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Contains(errors.EnumerateArray(), e => e.GetString()!.StartsWith(field + ":", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"scope":"ip","value":"10.0.0.1","action":"block","ttl_seconds":1e30}""", "ttl_seconds")]
    [InlineData("""{"scope":"ip","value":"10.0.0.1","action":"block","ttl_seconds":31622400000}""", "ttl_seconds")]
    [InlineData("""{"scope":"ip","value":"10.0.0.1","action":"block","expires":"9999-12-31T00:00:00Z"}""", "expires")]
    [InlineData("""{"scope":"ip","value":"10.0.0.1","action":"throttle","rate":1e300,"ttl_seconds":60}""", "rate")]
    [InlineData("""{"scope":"","value":"10.0.0.1","action":"block"}""", "scope")]
    public async Task Out_of_range_values_are_400_naming_the_field(string json, string field)
    {
        using var admin = _sidecar.Admin();
        using var response = await admin.PostAsync("/decisions", HttpExtensions.Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Contains(errors.EnumerateArray(), e => e.GetString()!.StartsWith(field + ":", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task A_body_that_is_not_json_is_415_problem(string? contentType)
    {
        using var admin = _sidecar.Admin();
        var content = new ByteArrayContent("""{"scope":"ip","value":"10.0.0.1","action":"block","ttl_seconds":60}"""u8.ToArray());
        if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        using var response = await admin.PostAsync("/decisions", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var list = await admin.GetAsync("/decisions");
        Assert.Equal(0, (await list.JsonAsync()).GetArrayLength());
    }

    [Theory]
    [InlineData("{\"scope\":")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task Malformed_json_is_400_problem(string body)
    {
        using var admin = _sidecar.Admin();
        using var response = await admin.PostAsync("/decisions", HttpExtensions.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Stats_count_requests_and_rejections_by_reason()
    {
        using var client = _sidecar.Client();
        using (await client.GetAsync("/open/x"))
        using (await client.GetAsync("/keys/x"))
        using (await client.GetAsync("/nowhere"))
        {
        }

        using var admin = _sidecar.Admin();
        using var stats = await admin.GetAsync("/stats");
        var body = await stats.JsonAsync();
        Assert.Equal(3, body.GetProperty("requests").GetInt64());
        Assert.Equal(1, body.GetProperty("rejections").GetProperty("authentication").GetInt64());
        Assert.Equal(1, body.GetProperty("rejections").GetProperty("no_route").GetInt64());
        Assert.Equal(0, body.GetProperty("dropped_events").GetInt64());
        Assert.True(body.GetProperty("decisions_caught_up").GetBoolean());
    }
}
