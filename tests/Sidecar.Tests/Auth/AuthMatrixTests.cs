using System.Net;
using System.Security.Cryptography;
using Analytics.Messaging;
using Analytics.Sidecar.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace Analytics.Sidecar.Tests.Auth;

/// <summary>The auth matrix over a real sidecar, with JWTs signed by keys this test made and served as OIDC metadata + JWKS.</summary>
public sealed class AuthMatrixTests : IAsyncLifetime
{
    private TestSidecar _sidecar = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _sidecar = await TestSidecar.StartAsync();
        _client = _sidecar.Client();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sidecar.DisposeAsync();
    }

    [Fact]
    public async Task No_credentials_on_a_protected_route_is_401_with_challenge()
    {
        using var response = await _client.GetWithAsync("/keys/1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "ApiKey");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        await AssertEvent(response, AuthOutcomes.Failure, "missing_credentials", RejectionReasons.Authentication);
    }

    [Fact]
    public async Task Anonymous_route_needs_no_credentials()
    {
        using var response = await _client.GetWithAsync("/open/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertEvent(response, AuthOutcomes.Anonymous, null, RejectionReasons.None);
    }

    [Fact]
    public async Task Bad_api_key_is_401()
    {
        using var response = await _client.GetWithAsync("/keys/1", apiKey: "not-a-real-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertEvent(response, AuthOutcomes.Failure, "invalid_api_key", RejectionReasons.Authentication);
    }

    [Fact]
    public async Task Good_api_key_with_the_role_passes_and_names_the_key_id()
    {
        using var response = await _client.GetWithAsync("/keys/1", apiKey: TestSidecar.ReaderKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evt = await AssertEvent(response, AuthOutcomes.Success, null, RejectionReasons.None);
        Assert.Equal(new PrincipalInfo(PrincipalKinds.ApiKey, "reader"), evt.Principal);
    }

    [Fact]
    public async Task Valid_api_key_without_the_role_is_403()
    {
        using var response = await _client.GetWithAsync("/keys/1", apiKey: TestSidecar.PlainKey);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertEvent(response, AuthOutcomes.Forbidden, "missing_role", RejectionReasons.Authorization);
    }

    [Fact]
    public async Task Valid_rs256_jwt_with_the_scope_passes()
    {
        using var response = await _client.GetWithAsync("/orders/1", bearer: _sidecar.Upstream.Token(subject: "alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evt = await AssertEvent(response, AuthOutcomes.Success, null, RejectionReasons.None);
        Assert.Equal(new PrincipalInfo(PrincipalKinds.Jwt, "alice"), evt.Principal);
    }

    [Fact]
    public async Task Valid_es256_jwt_passes()
    {
        using var response = await _client.GetWithAsync("/orders/1", bearer: _sidecar.Upstream.Token(key: _sidecar.Upstream.EcKey, algorithm: SecurityAlgorithms.EcdsaSha256));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Jwt_without_the_scope_is_403_insufficient_scope()
    {
        using var response = await _client.GetWithAsync("/orders/1", bearer: _sidecar.Upstream.Token(scope: "profile"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString());
        await AssertEvent(response, AuthOutcomes.Forbidden, "missing_scope", RejectionReasons.Authorization);
    }

    [Fact]
    public async Task Jwt_without_the_role_is_403()
    {
        using var response = await _client.GetWithAsync("/admin/report", bearer: _sidecar.Upstream.Token(roles: ["customer"]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertEvent(response, AuthOutcomes.Forbidden, "missing_role", RejectionReasons.Authorization);
    }

    [Fact]
    public async Task Expired_jwt_is_401()
    {
        var token = _sidecar.Upstream.Token(expires: DateTime.UtcNow.AddMinutes(-5));

        using var response = await _client.GetWithAsync("/orders/1", bearer: token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        await AssertEvent(response, AuthOutcomes.Failure, "expired", RejectionReasons.Authentication);
    }

    [Fact]
    public async Task Jwt_from_the_wrong_issuer_is_401()
    {
        using var response = await _client.GetWithAsync("/orders/1", bearer: _sidecar.Upstream.Token(issuer: "https://evil.example"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertEvent(response, AuthOutcomes.Failure, "invalid_issuer", RejectionReasons.Authentication);
    }

    [Fact]
    public async Task Jwt_for_another_audience_is_401()
    {
        using var response = await _client.GetWithAsync("/orders/1", bearer: _sidecar.Upstream.Token(audience: "other-api"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertEvent(response, AuthOutcomes.Failure, "invalid_audience", RejectionReasons.Authentication);
    }

    [Fact]
    public async Task Unsigned_alg_none_jwt_is_401()
    {
        using var response = await _client.GetWithAsync("/orders/1", bearer: _sidecar.Upstream.UnsignedToken());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var evt = await AssertEvent(response, AuthOutcomes.Failure, null, RejectionReasons.Authentication);
        Assert.NotNull(evt.Auth.Reason);
    }

    [Fact]
    public async Task Hs256_signed_with_the_public_key_is_401()
    {
        using var response = await _client.GetWithAsync("/orders/1", bearer: _sidecar.Upstream.ConfusedToken());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertEvent(response, AuthOutcomes.Failure, null, RejectionReasons.Authentication);
    }

    [Fact]
    public async Task Jwt_signed_by_an_unknown_key_is_401()
    {
        using var stranger = RSA.Create(2048);
        var token = _sidecar.Upstream.Token(key: new RsaSecurityKey(stranger) { KeyId = "stranger" });

        using var response = await _client.GetWithAsync("/orders/1", bearer: token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertEvent(response, AuthOutcomes.Failure, "unknown_key", RejectionReasons.Authentication);
    }

    [Fact]
    public async Task Jwt_with_a_forged_signature_under_a_known_kid_is_401()
    {
        using var stranger = RSA.Create(2048);
        var token = _sidecar.Upstream.Token(key: new RsaSecurityKey(stranger) { KeyId = _sidecar.Upstream.RsaKey.KeyId });

        using var response = await _client.GetWithAsync("/orders/1", bearer: token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertEvent(response, AuthOutcomes.Failure, "invalid_signature", RejectionReasons.Authentication);
    }

    [Fact]
    public async Task Garbage_bearer_token_is_401()
    {
        using var response = await _client.GetWithAsync("/orders/1", bearer: "not.a.jwt");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertEvent(response, AuthOutcomes.Failure, null, RejectionReasons.Authentication);
    }

    [Fact]
    public async Task Route_without_a_policy_is_closed_by_default()
    {
        using var anonymous = await _client.GetWithAsync("/closed/1");
        using var authenticated = await _client.GetWithAsync("/closed/1", apiKey: TestSidecar.PlainKey);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
    }

    private async Task<RequestEvent> AssertEvent(HttpResponseMessage response, string outcome, string? reason, string rejectedBy)
    {
        var evt = await _sidecar.EventAsync(e => e.RequestId == response.RequestId());
        Assert.Equal(outcome, evt.Auth.Outcome);
        if (reason is not null)
        {
            Assert.Equal(reason, evt.Auth.Reason);
        }

        Assert.Equal(rejectedBy, evt.RejectedBy);
        Assert.Equal((int)response.StatusCode, evt.Status);
        return evt;
    }

}

/// <summary>JWTs checked against a static JWKS (inline config) instead of OIDC discovery.</summary>
public sealed class StaticJwksTests
{
    [Fact]
    public async Task Inline_jwks_validates_tokens_without_discovery()
    {
        // The identity provider is never contacted: its keys are in configuration.
        await using var idp = await TestUpstream.StartAsync();
        using var http = LoopbackClient.Create(idp.Url);
        var jwks = await http.GetStringAsync("/.well-known/jwks.json");
        await using var sidecar = await TestSidecar.StartAsync(c =>
        {
            c.Remove("Sidecar:Auth:Jwt:Authority");
            c["Sidecar:Auth:Jwt:Issuers:0"] = "https://issuer.test";
            c["Sidecar:Auth:Jwt:Jwks"] = jwks;
        });
        using var client = sidecar.Client();

        using var good = await client.GetWithAsync("/orders/1", bearer: idp.Token(issuer: "https://issuer.test"));
        using var es256 = await client.GetWithAsync("/orders/1", bearer: idp.Token(issuer: "https://issuer.test", key: idp.EcKey, algorithm: SecurityAlgorithms.EcdsaSha256));
        using var otherKey = await client.GetWithAsync("/orders/1", bearer: sidecar.Upstream.Token(issuer: "https://issuer.test"));
        using var wrongIssuer = await client.GetWithAsync("/orders/1", bearer: idp.Token());

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.OK, es256.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongIssuer.StatusCode);
    }
}
