using System.Net;
using System.Text;
using Analytics.Messaging;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Telemetry;

/// <summary>The login identifier's keyed hash over real Kestrel: odd bodies never break the request.</summary>
public sealed class LoginIdentifierTests
{
    private static Task<TestSidecar> StartAsync() => TestSidecar.StartAsync(c => c["Sidecar:Telemetry:LoginHashKey"] = "test-login-hash-key");

    [Fact]
    public async Task A_lone_surrogate_is_unparsable_for_the_hash_and_never_a_500()
    {
        await using var sidecar = await TestSidecar.StartAsync(c =>
        {
            c["Sidecar:Telemetry:LoginHashKey"] = "test-login-hash-key";
            c["Sidecar:Routes:login:Inspection:Mode"] = "off";
        });
        using var client = sidecar.Client();

        using var response = await client.PostAsync("/login", HttpExtensions.Json("""{"username":"\ud800","password":"x"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evt = await sidecar.EventAsync(e => e.RequestId == response.RequestId());
        Assert.Null(evt.LoginHash);
        Assert.Equal(RejectionReasons.None, evt.RejectedBy);
    }

    [Fact]
    public async Task A_lone_surrogate_on_an_inspected_route_is_a_malformed_body_finding_not_a_500()
    {
        await using var sidecar = await StartAsync();
        using var client = sidecar.Client();

        using var response = await client.PostAsync("/login", HttpExtensions.Json("""{"username":"\ud800","password":"x"}"""));

        // The route inspects in detect mode: the request goes on, and the body a JSON parser refuses is a finding.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evt = await sidecar.EventAsync(e => e.RequestId == response.RequestId());
        Assert.Null(evt.LoginHash);
        Assert.Contains("protocol-body-malformed", evt.Inspection!.Rules);
    }

    [Fact]
    public async Task The_field_name_matches_in_any_case()
    {
        await using var sidecar = await StartAsync();
        using var client = sidecar.Client();

        using var lower = await client.PostAsync("/login", HttpExtensions.Json("""{"username":"alice","password":"x"}"""));
        using var mixed = await client.PostAsync("/login", HttpExtensions.Json("""{"UserName":"alice","password":"x"}"""));
        using var escaped = await client.PostAsync("/login", HttpExtensions.Json("""{"USER\u004eAME":"alice","password":"x"}"""));

        var a = await sidecar.EventAsync(e => e.RequestId == lower.RequestId());
        var b = await sidecar.EventAsync(e => e.RequestId == mixed.RequestId());
        var c = await sidecar.EventAsync(e => e.RequestId == escaped.RequestId());
        Assert.NotNull(a.LoginHash);
        Assert.Equal(a.LoginHash, b.LoginHash);
        Assert.Equal(a.LoginHash, c.LoginHash);
    }

    [Fact]
    public async Task A_chunked_login_body_is_hashed_like_one_with_a_length_and_reaches_the_upstream_intact()
    {
        await using var sidecar = await StartAsync();
        using var client = sidecar.Client();
        const string body = """{"username":"alice","password":"x"}""";

        using var sized = await client.PostAsync("/login", HttpExtensions.Json(body));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = HttpExtensions.Json(body) };
        request.Headers.TransferEncodingChunked = true;
        using var chunked = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, chunked.StatusCode);
        var a = await sidecar.EventAsync(e => e.RequestId == sized.RequestId());
        var b = await sidecar.EventAsync(e => e.RequestId == chunked.RequestId());
        Assert.NotNull(a.LoginHash);
        Assert.Equal(a.LoginHash, b.LoginHash);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), b.BytesIn);
        Assert.Equal(body, (await chunked.JsonAsync()).GetProperty("body").GetString());
    }
}
