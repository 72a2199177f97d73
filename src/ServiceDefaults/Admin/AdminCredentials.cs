using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>
/// The admin credentials of a listener: the named ones from <c>Credentials</c> plus the single
/// <c>Token</c>, which is the <c>admin</c> credential named <see cref="DefaultName"/>. A presented
/// token is hashed once and compared with every stored hash in constant time, without stopping
/// at a match, so timing tells neither the token nor which credential it is.
/// </summary>
public sealed class AdminCredentials
{
    /// <summary>The name under which the single <c>Token</c> is recorded.</summary>
    public const string DefaultName = "default";

    private readonly (AdminPrincipal Principal, byte[] Hash)[] _entries;

    public AdminCredentials(IOptions<AdminOptions> options)
    {
        var o = options.Value;
        var entries = new List<(AdminPrincipal, byte[])>();
        if (!string.IsNullOrEmpty(o.Token))
        {
            entries.Add((new AdminPrincipal(DefaultName, AdminRole.Admin), Hash(o.Token)));
        }

        foreach (var (name, credential) in o.Credentials)
        {
            if (TryParseRole(credential.Role, out var role) && TryParseHash(credential.TokenSha256, out var hash))
            {
                entries.Add((new AdminPrincipal(name, role), hash));
            }
        }

        _entries = [.. entries];
    }

    /// <summary>The credential whose token is <paramref name="presented"/>, or null.</summary>
    public AdminPrincipal? Match(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        var hash = Hash(presented);
        AdminPrincipal? found = null;
        foreach (var (principal, expected) in _entries)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                found = principal;
            }
        }

        return found;
    }

    /// <summary>The hex SHA-256 of a token, as <c>TokenSha256</c> takes it.</summary>
    public static string HashToHex(string token) => Convert.ToHexStringLower(Hash(token));

    internal static bool TryParseRole(string? value, out AdminRole role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(value, out _);

    internal static bool TryParseHash(string? hex, out byte[] hash)
    {
        hash = [];
        if (hex is not { Length: 64 })
        {
            return false;
        }

        try
        {
            hash = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
