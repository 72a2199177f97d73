using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Analytics.Sidecar.Auth;

/// <summary>Derives JwtBearer's options from <see cref="JwtOptions"/>, with the unsafe choices ruled out.</summary>
internal static class JwtBearerSetup
{
    public const string Scheme = "Bearer";

    public static void Configure(JwtBearerOptions bearer, JwtOptions jwt)
    {
        bearer.MapInboundClaims = false;
        bearer.SaveToken = false;
        bearer.IncludeErrorDetails = false;
        bearer.RefreshOnIssuerKeyNotFound = true;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuers = jwt.Issuers.Count > 0 ? jwt.Issuers : null,
            ValidateAudience = true,
            ValidAudiences = jwt.Audiences,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = jwt.ValidAlgorithms,
            ClockSkew = TimeSpan.FromSeconds(jwt.ClockSkewSeconds),
            NameClaimType = "sub",
            RoleClaimType = jwt.RoleClaims.Count > 0 ? jwt.RoleClaims[0] : "roles",
        };

        if (!string.IsNullOrWhiteSpace(jwt.Authority) || !string.IsNullOrWhiteSpace(jwt.MetadataAddress))
        {
            bearer.Authority = jwt.Authority;
            bearer.MetadataAddress = jwt.MetadataAddress ?? "";
            bearer.RequireHttpsMetadata = !jwt.AllowInsecureMetadata && !IsLoopback(jwt.MetadataAddress ?? jwt.Authority);
        }
        else if (!string.IsNullOrWhiteSpace(jwt.JwksUrl))
        {
            var requireHttps = !jwt.AllowInsecureMetadata && !IsLoopback(jwt.JwksUrl);
            bearer.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                jwt.JwksUrl, new JwksRetriever(), new HttpDocumentRetriever { RequireHttps = requireHttps });
        }
        else if (LoadStaticJwks(jwt) is { } jwks)
        {
            bearer.TokenValidationParameters.IssuerSigningKeys = jwks.GetSigningKeys();
        }
    }

    /// <summary>The inline or file JWKS, or null when neither is configured.</summary>
    public static JsonWebKeySet? LoadStaticJwks(JwtOptions jwt)
    {
        if (!string.IsNullOrWhiteSpace(jwt.Jwks))
        {
            return new JsonWebKeySet(jwt.Jwks);
        }

        return string.IsNullOrWhiteSpace(jwt.JwksFile) ? null : new JsonWebKeySet(File.ReadAllText(jwt.JwksFile));
    }

    public static bool IsLoopback(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));

    /// <summary>Maps a token validation failure to the short reason that telemetry and WWW-Authenticate carry.</summary>
    public static string FailureReason(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not_yet_valid",
        SecurityTokenInvalidIssuerException => "invalid_issuer",
        SecurityTokenInvalidAudienceException => "invalid_audience",
        SecurityTokenInvalidAlgorithmException => "invalid_algorithm",
        SecurityTokenSignatureKeyNotFoundException => "unknown_key",
        SecurityTokenInvalidSignatureException => "invalid_signature",
        SecurityTokenNoExpirationException => "no_expiration",
        SecurityTokenMalformedException or ArgumentException => "malformed",
        _ => "invalid_token",
    };

    /// <summary>Reads a bare JWKS document (no OIDC discovery) into the configuration JwtBearer expects.</summary>
    private sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var json = await retriever.GetDocumentAsync(address, cancel);
            var jwks = new JsonWebKeySet(json);
            var configuration = new OpenIdConnectConfiguration { JsonWebKeySet = jwks };
            foreach (var key in jwks.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            return configuration;
        }
    }
}
