using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Analytics.Messaging;

/// <summary>
/// Signs and verifies decisions with HMAC-SHA256 over a canonical form of the fields a sidecar
/// enforces (not the evidence or score, which are informational). A shared key, rather than an
/// Ed25519 key pair, because .NET has no built-in Ed25519 and the producers (analyzer, admin
/// APIs) and the consumers (sidecars) are operated by the same team; see docs/security.md.
/// </summary>
public sealed class DecisionSigner
{
    private readonly byte[] _key;

    public DecisionSigner(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _key = Encoding.UTF8.GetBytes(key);
    }

    /// <summary>A signer for the configured key, or null when none is set (decisions stay unsigned).</summary>
    public static DecisionSigner? For(DecisionRules rules) =>
        string.IsNullOrEmpty(rules.SigningKey) ? null : new DecisionSigner(rules.SigningKey);

    /// <summary>The decision with its <see cref="Decision.Signature"/> set.</summary>
    public Decision Sign(Decision decision) => decision with { Signature = Compute(decision) };

    /// <summary>True when the decision carries a valid signature by this key (compared in constant time).</summary>
    public bool Verify(Decision decision)
    {
        if (string.IsNullOrEmpty(decision.Signature))
        {
            return false;
        }

        Span<byte> stated = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!TryDecode(decision.Signature, stated))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(CanonicalForm(decision)), expected);
        return CryptographicOperations.FixedTimeEquals(stated, expected);
    }

    /// <summary>
    /// The signed text: a version tag, then each enforced field as <c>length:value</c> on its own
    /// line, so no choice of values can make two different decisions read the same.
    /// </summary>
    public static string CanonicalForm(Decision d)
    {
        var text = new StringBuilder("analytics-decision-v1\n");
        Field(text, d.Id);
        Field(text, d.Scope);
        Field(text, d.Value);
        Field(text, d.Action);
        Field(text, d.Rate?.ToString("R", CultureInfo.InvariantCulture) ?? "");
        Field(text, d.Reason);
        Field(text, d.Source);
        Field(text, d.Simulated ? "1" : "0");
        Field(text, d.Created.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Field(text, d.Expires?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "");
        // Signed so the audit trail (which admin credential made it) cannot be rewritten on the topic.
        Field(text, d.CreatedBy ?? "");
        return text.ToString();
    }

    private string Compute(Decision decision) =>
        Base64Url(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(CanonicalForm(decision))));

    private static void Field(StringBuilder text, string value) =>
        text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, Span<byte> into)
    {
        if (text.Length != 43)
        {
            return false;
        }

        var padded = text.Replace('-', '+').Replace('_', '/') + "=";
        return Convert.TryFromBase64String(padded, into, out var written) && written == into.Length;
    }
}
