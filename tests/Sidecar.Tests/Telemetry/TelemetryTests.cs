using System.Net;
using Analytics.Messaging;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Telemetry;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Events_that_do_not_fit_the_buffer_are_dropped_and_counted_while_requests_are_served()
    {
        // A buffer of 16 and a consumer that never reads: the first 16 events fit, the rest are dropped.
        await using var sidecar = await TestSidecar.StartAsync(c => c["Streams:InProcess:Capacity"] = "16");
        using var client = sidecar.Client();

        for (var i = 0; i < 40; i++)
        {
            using var response = await client.GetAsync("/open/x");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var admin = sidecar.Admin();
        var stats = await (await admin.GetAsync("/stats")).JsonAsync();
        Assert.Equal(40, stats.GetProperty("requests").GetInt64());
        Assert.Equal(16, stats.GetProperty("published_events").GetInt64());
        Assert.Equal(24, stats.GetProperty("dropped_events").GetInt64());
    }

    [Fact]
    public async Task Login_identifier_is_hashed_never_sent_in_clear()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:Telemetry:LoginHashKey"] = "test-login-hash-key");
        using var client = sidecar.Client();

        using var first = await client.PostAsync("/login", HttpExtensions.Json("""{"username":"Alice","password":"x"}"""));
        using var second = await client.PostAsync("/login", HttpExtensions.Json("""{"password":"y","username":"alice "}"""));
        using var other = await client.PostAsync("/login", HttpExtensions.Json("""{"username":"bob","password":"x"}"""));

        var a = await sidecar.EventAsync(e => e.RequestId == first.RequestId());
        var b = await sidecar.EventAsync(e => e.RequestId == second.RequestId());
        var c = await sidecar.EventAsync(e => e.RequestId == other.RequestId());
        Assert.NotNull(a.LoginHash);
        Assert.Equal(a.LoginHash, b.LoginHash);
        Assert.NotEqual(a.LoginHash, c.LoginHash);
        Assert.DoesNotContain("alice", a.LoginHash, StringComparison.OrdinalIgnoreCase);

        // The upstream still received the body intact.
        Assert.Equal("POST", (await first.JsonAsync()).GetProperty("method").GetString());
        Assert.Contains("Alice", (await first.JsonAsync()).GetProperty("body").GetString());
    }

    [Fact]
    public async Task Upstream_401_on_an_anonymous_route_counts_as_an_authentication_failure()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client();

        using var response = await client.PostAsync("/login?status=401", HttpExtensions.Json("""{"username":"a","password":"b"}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var evt = await sidecar.EventAsync(e => e.RequestId == response.RequestId());
        Assert.Equal(new AuthInfo(AuthOutcomes.Failure, "upstream"), evt.Auth);
        Assert.Equal(RejectionReasons.None, evt.RejectedBy);
    }

    [Fact]
    public async Task Events_never_carry_query_values_or_credentials()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client();

        using var response = await client.GetWithAsync("/keys/a?token=supersecret", apiKey: TestSidecar.ReaderKey);

        var evt = await sidecar.EventAsync(e => e.RequestId == response.RequestId());
        var json = System.Text.Json.JsonSerializer.Serialize(evt, MessagesJsonContext.Default.RequestEvent);
        Assert.DoesNotContain("supersecret", json);
        Assert.DoesNotContain(TestSidecar.ReaderKey, json);
        Assert.Equal("/keys/a", evt.Path);
    }
}
