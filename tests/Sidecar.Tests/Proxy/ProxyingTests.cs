using System.Net;
using Analytics.Messaging;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Proxy;

public sealed class ProxyingTests
{
    [Fact]
    public async Task Forwards_status_headers_and_body_and_hardens_the_response()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client();

        using var response = await client.PostAsync("/open/things?status=201", HttpExtensions.Json("{\"name\":\"x\"}"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("POST", body.GetProperty("method").GetString());
        Assert.Equal("/open/things", body.GetProperty("path").GetString());
        Assert.Equal("{\"name\":\"x\"}", body.GetProperty("body").GetString());
        Assert.Equal("echo", response.Headers.GetValues("X-Upstream").Single());
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());

        var evt = await sidecar.EventAsync(e => e.RequestId == response.RequestId());
        Assert.Equal(201, evt.Status);
        Assert.Equal("open", evt.RouteId);
        Assert.Equal("/open/things", evt.PathTemplate);
        Assert.Equal("/open/things", evt.Path);
        Assert.Equal("127.0.0.1", evt.ClientIp);
        Assert.Equal(RejectionReasons.None, evt.RejectedBy);
        Assert.Equal(12, evt.BytesIn);
        Assert.True(evt.BytesOut > 0);
        Assert.NotNull(evt.UpstreamMs);
    }

    [Fact]
    public async Task Api_key_secret_and_spoofed_identity_headers_never_reach_the_upstream()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client();

        using var response = await client.GetWithAsync("/keys/a", apiKey: TestSidecar.ReaderKey, configure: r =>
            r.Headers.Add("X-Authenticated-Principal", "admin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = sidecar.Upstream.LastHeaders!;
        Assert.False(seen.ContainsKey("X-Api-Key"));
        Assert.Equal("reader", seen["X-Authenticated-Principal"].ToString());
        Assert.Equal("api_key", seen["X-Authenticated-Kind"].ToString());
    }

    [Fact]
    public async Task Unrouted_request_gets_404_problem_and_an_event()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client();

        using var response = await client.GetAsync("/.env");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var evt = await sidecar.EventAsync(e => e.RequestId == response.RequestId());
        Assert.Equal(RejectionReasons.NoRoute, evt.RejectedBy);
        Assert.Equal("/.env", evt.Path);
    }

    [Fact]
    public async Task Spoofed_forwarded_for_from_an_untrusted_peer_is_ignored()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var admin = sidecar.Admin();
        using var block = await admin.PostAsync("/decisions", HttpExtensions.Json("""{"scope":"ip","value":"10.9.9.9","action":"block","ttl_seconds":300}"""));
        Assert.Equal(HttpStatusCode.Created, block.StatusCode);
        using var client = sidecar.Client("127.0.0.5");

        using var response = await client.GetWithAsync("/open/x", configure: r => r.Headers.Add("X-Forwarded-For", "10.9.9.9"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evt = await sidecar.EventAsync(e => e.RequestId == response.RequestId());
        Assert.Equal("127.0.0.5", evt.ClientIp);
    }

    [Fact]
    public async Task Forwarded_for_from_a_trusted_proxy_sets_the_client_ip()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:Proxy:TrustedProxies:0"] = "127.0.0.6");
        using var admin = sidecar.Admin();
        using var block = await admin.PostAsync("/decisions", HttpExtensions.Json("""{"scope":"ip","value":"10.9.9.9","action":"block","ttl_seconds":300}"""));
        using var trusted = sidecar.Client("127.0.0.6");

        using var response = await trusted.GetWithAsync("/open/x", configure: r => r.Headers.Add("X-Forwarded-For", "10.9.9.9"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var evt = await sidecar.EventAsync(e => e.RequestId == response.RequestId());
        Assert.Equal("10.9.9.9", evt.ClientIp);
        Assert.Equal(RejectionReasons.Decision, evt.RejectedBy);
    }

    [Fact]
    public async Task Oversized_headers_get_431_and_an_event()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client();

        using var response = await client.GetWithAsync("/open/x", configure: r => r.Headers.Add("X-Big", new string('a', 20_000)));

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        var evt = await sidecar.EventAsync(e => e.RequestId == response.RequestId());
        Assert.Equal(RejectionReasons.Limits, evt.RejectedBy);
        Assert.Equal(431, evt.Status);
    }

    [Fact]
    public async Task Oversized_body_gets_413_with_or_without_content_length()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client();

        using var declared = await client.PostAsync("/upload/x", new ByteArrayContent(new byte[4096]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        var evt = await sidecar.EventAsync(e => e.RequestId == declared.RequestId());
        Assert.Equal(RejectionReasons.Limits, evt.RejectedBy);

        using var chunked = new StreamContent(new MemoryStream(new byte[4096]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload/x") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        var evt2 = await sidecar.EventAsync(e => e.RequestId == streamed.RequestId());
        Assert.Equal(RejectionReasons.Limits, evt2.RejectedBy);
        Assert.Equal(413, evt2.Status);
    }

    [Fact]
    public async Task Small_body_within_the_route_limit_is_forwarded()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client();

        using var response = await client.PostAsync("/upload/x", new ByteArrayContent(new byte[512]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
