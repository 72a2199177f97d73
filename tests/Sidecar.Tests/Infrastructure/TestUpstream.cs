using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Analytics.Sidecar.Tests.Infrastructure;

/// <summary>
/// A real upstream on loopback that echoes what it received, plus an identity provider (OIDC
/// metadata and JWKS) whose keys the tests sign with.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    public const string Audience = "test-api";

    private readonly WebApplication _app;

    private TestUpstream(WebApplication app)
    {
        _app = app;
    }

    public string Url { get; private set; } = "";
    public string Issuer => Url;
    public RsaSecurityKey RsaKey { get; } = new(RSA.Create(2048)) { KeyId = "rsa-1" };
    public ECDsaSecurityKey EcKey { get; } = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec-1" };

    /// <summary>Request targets exactly as they arrived (path and query, undecoded), in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> RawTargets { get; } = new();

    /// <summary>Request headers the upstream saw on its last request.</summary>
    public IHeaderDictionary? LastHeaders { get; private set; }

    public static async Task<TestUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var upstream = new TestUpstream(app);
        upstream.Map(app);
        await app.StartAsync();
        upstream.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return upstream;
    }

    public string Token(
        string subject = "user-1",
        string[]? roles = null,
        string scope = "orders:read",
        string? issuer = null,
        string? audience = null,
        DateTime? expires = null,
        SecurityKey? key = null,
        string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var now = DateTime.UtcNow;
        var exp = expires ?? now.AddMinutes(10);
        var notBefore = exp < now ? exp.AddMinutes(-10) : now;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles ?? ["customer"], ["scope"] = scope },
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = exp,
            SigningCredentials = new SigningCredentials(key ?? RsaKey, algorithm),
        });
    }

    /// <summary>A token with <c>alg: none</c> and no signature.</summary>
    public string UnsignedToken(string subject = "user-1")
    {
        static string B64(string json) => Base64UrlEncoder.Encode(json);
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        return B64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
               B64($"{{\"sub\":\"{subject}\",\"iss\":\"{Issuer}\",\"aud\":\"{Audience}\",\"exp\":{exp},\"scope\":\"orders:read\"}}") + ".";
    }

    /// <summary>An HS256 token whose HMAC key is the RSA public key: the classic algorithm-confusion attack.</summary>
    public string ConfusedToken()
    {
        var publicKeyBytes = RsaKey.Rsa.ExportSubjectPublicKeyInfo();
        return Token(key: new SymmetricSecurityKey(publicKeyBytes) { KeyId = RsaKey.KeyId }, algorithm: SecurityAlgorithms.HmacSha256);
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", (HttpContext ctx) => ctx.Response.WriteAsync(
            $$"""{"issuer":"{{Issuer}}","jwks_uri":"{{Url}}/.well-known/jwks.json","id_token_signing_alg_values_supported":["RS256","ES256"]}"""));
        app.MapGet("/.well-known/jwks.json", (HttpContext ctx) =>
        {
            var rsa = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(RsaKey.Rsa.ExportParameters(false)) { KeyId = RsaKey.KeyId });
            var ec = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(EcKey);
            var json = $$"""
                {"keys":[
                  {"kty":"RSA","use":"sig","alg":"RS256","kid":"{{rsa.Kid}}","n":"{{rsa.N}}","e":"{{rsa.E}}"},
                  {"kty":"EC","use":"sig","alg":"ES256","kid":"{{ec.Kid}}","crv":"{{ec.Crv}}","x":"{{ec.X}}","y":"{{ec.Y}}"}
                ]}
                """;
            ctx.Response.ContentType = "application/json";
            return ctx.Response.WriteAsync(json);
        });

        // Echo: status from ?status=, some headers a hardened proxy must remove, the body back.
        app.Map("/{**path}", async (HttpContext ctx) =>
        {
            LastHeaders = new HeaderDictionary(ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value));
            RawTargets.Enqueue(ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "");
            var status = int.TryParse(ctx.Request.Query["status"], out var s) ? s : 200;
            ctx.Response.StatusCode = status;
            ctx.Response.Headers["Server"] = "upstream/1.0";
            ctx.Response.Headers["X-Powered-By"] = "PHP/5.6";
            ctx.Response.Headers["X-Upstream"] = "echo";
            ctx.Response.ContentType = "application/json";
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            await ctx.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["method"] = ctx.Request.Method,
                ["path"] = ctx.Request.Path.Value ?? "",
                ["body"] = body,
            }));
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        RsaKey.Rsa.Dispose();
        EcKey.ECDsa.Dispose();
    }
}
