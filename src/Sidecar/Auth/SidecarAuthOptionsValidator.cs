using Analytics.ServiceDefaults.Options;

namespace Analytics.Sidecar.Auth;

/// <summary>Checks <c>Sidecar:Auth</c>: one JWT key source, audiences and issuers, asymmetric algorithms only, API keys stored as hashes.</summary>
internal static class SidecarAuthOptionsValidator
{
    private static readonly HashSet<string> SafeAlgorithms = new(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    public static void Validate(SidecarAuthOptions options, ValidationErrors errors)
    {
        var jwt = options.Jwt;
        var sources = new[] { jwt.Authority ?? jwt.MetadataAddress, jwt.JwksUrl, jwt.JwksFile, jwt.Jwks }.Count(s => !string.IsNullOrWhiteSpace(s));
        errors.AddIf(sources > 1, "Jwt", "configure one key source: Authority (or MetadataAddress), JwksUrl, JwksFile or Jwks");
        if (jwt.Enabled)
        {
            errors.AddIf(jwt.Audiences.Count == 0, "Jwt:Audiences", "at least one audience is required so tokens minted for other APIs are refused");
            errors.AddIf(jwt.Issuers.Count == 0 && string.IsNullOrWhiteSpace(jwt.Authority), "Jwt:Issuers", "at least one issuer is required without an Authority");
        }

        errors.AddIf(jwt.ValidAlgorithms.Count == 0, "Jwt:ValidAlgorithms", "at least one algorithm is required");
        foreach (var alg in jwt.ValidAlgorithms)
        {
            errors.AddIf(!SafeAlgorithms.Contains(alg), "Jwt:ValidAlgorithms", $"'{alg}' is not accepted; use asymmetric algorithms (RS*, PS*, ES*)");
        }

        errors.AddIf(jwt.ClockSkewSeconds is < 0 or > 300, "Jwt:ClockSkewSeconds", "must be between 0 and 300");
        if (!string.IsNullOrWhiteSpace(jwt.JwksFile) && !File.Exists(jwt.JwksFile))
        {
            errors.Add("Jwt:JwksFile", $"file '{jwt.JwksFile}' does not exist");
        }

        if (!string.IsNullOrWhiteSpace(jwt.Jwks))
        {
            try
            {
                _ = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(jwt.Jwks);
            }
            catch (ArgumentException)
            {
                errors.Add("Jwt:Jwks", "is not a JWKS document");
            }
        }

        errors.AddIf(string.IsNullOrWhiteSpace(options.ApiKeys.Header), "ApiKeys:Header", "must name a header");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Keys.Count; i++)
        {
            var key = options.ApiKeys.Keys[i];
            errors.AddIf(string.IsNullOrWhiteSpace(key.Id), $"ApiKeys:Keys:{i}:Id", "is required");
            errors.AddIf(!ids.Add(key.Id), $"ApiKeys:Keys:{i}:Id", $"'{key.Id}' is used twice");
            errors.AddIf(key.Sha256.Length != 64 || !key.Sha256.All(Uri.IsHexDigit), $"ApiKeys:Keys:{i}:Sha256", "must be 64 hex digits (the SHA-256 of the key, never the key itself)");
        }
    }
}
