using System.Security.Cryptography;
using System.Text;
using Analytics.Messaging;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar.Auth;

/// <summary>Checks presented API keys against the configured SHA-256 hashes in constant time.</summary>
internal sealed class ApiKeyValidator
{
    private readonly (ApiKeyEntry Entry, byte[] Hash, Caller Caller)[] _keys;

    public ApiKeyValidator(IOptions<SidecarAuthOptions> options)
    {
        // Each key's caller is made once: a request with a key allocates nothing for it.
        _keys = options.Value.ApiKeys.Keys.Select(k => (k, Convert.FromHexString(k.Sha256), new Caller(PrincipalKinds.ApiKey, k.Id, k.Roles, k.Scopes))).ToArray();
        Header = options.Value.ApiKeys.Header;
    }

    public string Header { get; }

    /// <summary>The matching key, or null. Compares with every configured key so timing does not reveal which one nearly matched.</summary>
    public ApiKeyEntry? Validate(ReadOnlySpan<char> presented) => Match(presented) is { } i ? _keys[i].Entry : null;

    /// <summary>The caller of the matching key, or null.</summary>
    public Caller? Authenticate(ReadOnlySpan<char> presented) => Match(presented) is { } i ? _keys[i].Caller : null;

    private int? Match(ReadOnlySpan<char> presented)
    {
        Span<byte> utf8 = stackalloc byte[256];
        if (presented.IsEmpty || Encoding.UTF8.GetMaxByteCount(presented.Length) > utf8.Length)
        {
            return null;
        }

        var written = Encoding.UTF8.GetBytes(presented, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..written], hash);

        int? match = null;
        for (var i = 0; i < _keys.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, _keys[i].Hash))
            {
                match = i;
            }
        }

        return match;
    }
}
