using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Auth;

/// <summary>Checks presented API keys against the configured SHA-256 hashes in constant time.</summary>
internal sealed class ApiKeyValidator
{
    private readonly (ApiKeyEntry Entry, byte[] Hash)[] _keys;

    public ApiKeyValidator(IOptions<SidecarAuthOptions> options)
    {
        _keys = options.Value.ApiKeys.Keys.Select(k => (k, Convert.FromHexString(k.Sha256))).ToArray();
        Header = options.Value.ApiKeys.Header;
    }

    public string Header { get; }

    /// <summary>The matching key, or null. Compares with every configured key so timing does not reveal which one nearly matched.</summary>
    public ApiKeyEntry? Validate(ReadOnlySpan<char> presented)
    {
        Span<byte> utf8 = stackalloc byte[256];
        if (presented.IsEmpty || Encoding.UTF8.GetMaxByteCount(presented.Length) > utf8.Length)
        {
            return null;
        }

        var written = Encoding.UTF8.GetBytes(presented, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..written], hash);

        ApiKeyEntry? match = null;
        foreach (var (entry, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match = entry;
            }
        }

        return match;
    }
}
