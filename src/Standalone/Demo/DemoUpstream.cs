using System.Security.Cryptography;
using System.Text.Json.Serialization;
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

namespace Analytics.Standalone.Demo;

/// <summary>
/// The demo upstream: a small shop with its own login server (OIDC metadata, JWKS, RS256 tokens),
/// exactly as the README's demo table specifies. The sidecar validates its tokens as it
/// would a real identity provider's.
/// </summary>
internal sealed class DemoUpstream : IAsyncDisposable
{
    public const string Audience = "demo-api";
    public const string ApiKey = "demo-reader-key";

    private static readonly Dictionary<string, DemoUser> Users = new(StringComparer.Ordinal)
    {
        ["alice"] = new("wonderland", ["customer"], "orders:read orders:write"),
        ["bob"] = new("builder", ["customer"], "orders:read"),
    };

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key;
    private int _nextOrder = 1000;

    private DemoUpstream(WebApplication app, RsaSecurityKey key)
    {
        _app = app;
        _key = key;
    }

    /// <summary>The bound base URL without a trailing slash, e.g. http://127.0.0.1:5080.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Signalled when the upstream's host is asked to stop (SIGTERM).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>The URL clients know it by: the token issuer and the base of its metadata (differs from <see cref="Url"/> in containers).</summary>
    public string PublicUrl { get; private set; } = "";

    public static async Task<DemoUpstream> StartAsync(string url, CancellationToken cancellationToken = default) =>
        await StartAsync(url, publicUrl: null, cancellationToken);

    public static async Task<DemoUpstream> StartAsync(string url, string? publicUrl, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The demo upstream is not configurable beyond its URL: ignore appsettings and the
        // environment, which describe the sidecar.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, DemoJsonContext.Default));
        var app = builder.Build();
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };
        var upstream = new DemoUpstream(app, key);
        upstream.Map(app);
        await app.StartAsync(cancellationToken);
        upstream.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        upstream.PublicUrl = publicUrl?.TrimEnd('/') ?? upstream.Url;
        return upstream;
    }

    /// <summary>Issues a token as the login endpoint would, for tests and the traffic generator.</summary>
    public string IssueToken(string subject, IReadOnlyList<string> roles, string scope, TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["roles"] = roles.ToArray(),
            ["scope"] = scope,
        };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = PublicUrl,
            Audience = Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", () => TypedResults.Json(new OidcMetadata(
            PublicUrl, PublicUrl + "/.well-known/jwks.json", ["RS256"], ["public"], PublicUrl + "/api/login")));
        app.MapGet("/.well-known/jwks.json", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
            return TypedResults.Json(new JwksDocument([new JwkDocument("RSA", "sig", "RS256", jwk.Kid, jwk.N, jwk.E)]));
        });

        app.MapGet("/api/status", () => TypedResults.Json(new StatusResponse("ok")));
        app.MapPost("/api/login", (LoginRequest? login) =>
        {
            if (login?.Username is { } user && Users.TryGetValue(user, out var known) && login.Password == known.Password)
            {
                return Results.Json(new TokenResponse(IssueToken(user, known.Roles, known.Scope), "Bearer", 3600));
            }

            return Results.Problem(statusCode: 401, title: "Unauthorized", detail: "Wrong user name or password.");
        });
        app.MapGet("/api/items/{id:int}", (int id) => id is >= 1 and <= 1000
            ? Results.Json(new Item(id, $"Item {id}", Math.Round(1 + (id * 7 % 100) + 0.99, 2)))
            : Results.Problem(statusCode: 404, title: "Not Found", detail: "No such item."));
        app.MapGet("/api/orders/{id:int}", (int id, HttpContext ctx) =>
            Results.Json(new Order(id, Owner(ctx), [1 + (id % 1000)], "shipped")));
        app.MapPost("/api/orders", (OrderRequest? request, HttpContext ctx) =>
        {
            var id = Interlocked.Increment(ref _nextOrder);
            return Results.Json(new Order(id, Owner(ctx), request?.Items ?? [], "created"), statusCode: 201);
        });
        app.MapGet("/api/admin/report", () => Results.Json(new StatusResponse("report")));
    }

    // The sidecar has verified the caller and passes the subject on; the upstream trusts it
    // because only the sidecar can reach it.
    private static string Owner(HttpContext ctx) => ctx.Request.Headers["X-Authenticated-Principal"].ToString() is { Length: > 0 } p ? p : "unknown";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Rsa.Dispose();
    }

    private sealed record DemoUser(string Password, string[] Roles, string Scope);
}

internal sealed record OidcMetadata(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] string[] Algorithms,
    [property: JsonPropertyName("subject_types_supported")] string[] SubjectTypes,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint);

internal sealed record JwksDocument([property: JsonPropertyName("keys")] JwkDocument[] Keys);

internal sealed record JwkDocument(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n")] string N,
    [property: JsonPropertyName("e")] string E);

internal sealed record StatusResponse([property: JsonPropertyName("status")] string Status);

internal sealed record LoginRequest([property: JsonPropertyName("username")] string? Username, [property: JsonPropertyName("password")] string? Password);

internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

internal sealed record Item([property: JsonPropertyName("id")] int Id, [property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("price")] double Price);

internal sealed record Order(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("items")] int[] Items,
    [property: JsonPropertyName("status")] string Status);

internal sealed record OrderRequest([property: JsonPropertyName("items")] int[]? Items);

[JsonSerializable(typeof(OidcMetadata))]
[JsonSerializable(typeof(JwksDocument))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(Item))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(OrderRequest))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
