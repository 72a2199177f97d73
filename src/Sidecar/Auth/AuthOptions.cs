namespace Analytics.Sidecar.Auth;

/// <summary>How callers authenticate (<c>Sidecar:Auth</c>): JWT bearer tokens and API keys.</summary>
public sealed class SidecarAuthOptions
{
    public const string Section = "Sidecar:Auth";

    public JwtOptions Jwt { get; set; } = new();

    public ApiKeyOptions ApiKeys { get; set; } = new();

    /// <summary>
    /// Roles and scopes of callers that authenticate with a TLS client certificate, by subject
    /// (routes with <c>ClientCertificate</c>; the CA is <c>Sidecar:Tls:ClientCertificateCaFile</c>).
    /// A certificate whose subject is not listed authenticates with no roles or scopes.
    /// </summary>
    public List<ClientCertificateEntry> ClientCertificates { get; set; } = [];

    /// <summary>The inline limit on failed authentications per client (credential guessing).</summary>
    public FailedAuthenticationOptions FailedAuthentication { get; set; } = new();
}

/// <summary>
/// A client (its address; an IPv6 client's aggregation prefix) that fails authentication
/// <see cref="PermitLimit"/> times within <see cref="WindowSeconds"/> gets 429 with Retry-After,
/// before its credentials are even looked at, until the window ends (<c>Sidecar:Auth:FailedAuthentication</c>).
/// </summary>
public sealed class FailedAuthenticationOptions
{
    /// <summary>Failures allowed per window and client; 0 turns the limit off.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000)]
    public int PermitLimit { get; set; } = 20;

    [System.ComponentModel.DataAnnotations.Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>JWT validation. Exactly one key source: an OIDC <see cref="Authority"/>, a <see cref="JwksUrl"/>, a <see cref="JwksFile"/> or inline <see cref="Jwks"/>.</summary>
public sealed class JwtOptions
{
    /// <summary>OIDC issuer URL; metadata and JWKS are discovered from it.</summary>
    public string? Authority { get; set; }

    /// <summary>Overrides the metadata address derived from the authority.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>A JWKS URL, for identity providers without OIDC discovery.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>A JWKS file on disk.</summary>
    public string? JwksFile { get; set; }

    /// <summary>An inline JWKS JSON document.</summary>
    public string? Jwks { get; set; }

    /// <summary>Accepted issuers; with an authority and none set, the discovered issuer.</summary>
    public List<string> Issuers { get; set; } = [];

    /// <summary>Accepted audiences. Required whenever JWTs are enabled: tokens for other APIs must not work here.</summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>Signature algorithms accepted. Asymmetric only by default, which also defeats HS256-with-public-key confusion.</summary>
    public List<string> ValidAlgorithms { get; set; } = ["RS256", "ES256"];

    /// <summary>Allowed clock difference for exp/nbf.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Claim names that carry roles.</summary>
    public List<string> RoleClaims { get; set; } = ["roles", "role"];

    /// <summary>Plain-HTTP metadata is allowed only for loopback authorities unless this is set.</summary>
    public bool AllowInsecureMetadata { get; set; }

    /// <summary>True when any key source is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(MetadataAddress)
                           || !string.IsNullOrWhiteSpace(JwksUrl) || !string.IsNullOrWhiteSpace(JwksFile) || !string.IsNullOrWhiteSpace(Jwks);
}

/// <summary>API keys, stored only as SHA-256 hashes.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Request header that carries the key.</summary>
    public string Header { get; set; } = "X-Api-Key";

    public List<ApiKeyEntry> Keys { get; set; } = [];
}

/// <summary>One API key: its id (what telemetry and decisions name), the SHA-256 of the secret, and its roles and scopes.</summary>
public sealed class ApiKeyEntry
{
    public string Id { get; set; } = "";

    /// <summary>Lower- or upper-case hex SHA-256 of the key (e.g. <c>printf %s KEY | sha256sum</c>).</summary>
    public string Sha256 { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    public List<string> Scopes { get; set; } = [];
}
