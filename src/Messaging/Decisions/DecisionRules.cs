using Analytics.ServiceDefaults.Options;

namespace Analytics.Messaging;

/// <summary>
/// What a decision must satisfy to be published or enforced, and the key that signs it. Bound
/// from each service's <c>…:Decisions</c> section (<c>Sidecar:Decisions</c>, <c>Analyzer:Decisions</c>).
/// </summary>
public class DecisionRules
{
    /// <summary>Shortest signing key accepted, in characters (at least 256 bits of a hex or base64 secret).</summary>
    public const int MinSigningKeyLength = 32;

    /// <summary>
    /// Shared HMAC-SHA256 key. Producers (the analyzer, the admin API) sign with it; a sidecar
    /// that has one refuses decisions without a valid signature. Never logged.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Widest IPv4 range an automatic (not <c>manual</c>) decision may cover.</summary>
    public int MinIpv4Prefix { get; set; } = 16;

    /// <summary>Widest IPv6 range an automatic (not <c>manual</c>) decision may cover.</summary>
    public int MinIpv6Prefix { get; set; } = 48;

    /// <summary>Longest lifetime (expires − created) of an automatic decision.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Longest lifetime of a manual decision (made through an admin API).</summary>
    public TimeSpan MaxManualTtl { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Decisions held at once; further new ones are refused (replacements still apply).</summary>
    public int MaxActive { get; set; } = 100_000;

    /// <summary>Checks the values; the signing key is reported by name only.</summary>
    public static void Validate(DecisionRules rules, ValidationErrors errors)
    {
        errors.AddIf(rules.SigningKey is { } key && key.Length < MinSigningKeyLength, "SigningKey",
            $"must be at least {MinSigningKeyLength} characters (e.g. openssl rand -hex 32)");
        errors.AddIf(rules.MinIpv4Prefix is < 0 or > 32, "MinIpv4Prefix", "must be between 0 and 32");
        errors.AddIf(rules.MinIpv6Prefix is < 0 or > 128, "MinIpv6Prefix", "must be between 0 and 128");
        errors.AddIf(rules.MaxTtl <= TimeSpan.Zero, "MaxTtl", "must be positive");
        errors.AddIf(rules.MaxManualTtl <= TimeSpan.Zero, "MaxManualTtl", "must be positive");
        errors.AddIf(rules.MaxActive is < 1 or > 10_000_000, "MaxActive", "must be between 1 and 10000000");
    }
}
