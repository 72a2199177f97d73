namespace Analytics.ServiceDefaults.Admin;

/// <summary>One named admin credential (<c>{Service}:Admin:Credentials:{name}</c>): its role and the SHA-256 of its token; the token itself is never stored.</summary>
public sealed class AdminCredentialOptions
{
    /// <summary><c>viewer</c>, <c>operator</c> or <c>admin</c>.</summary>
    public string Role { get; set; } = "";

    /// <summary>Hex SHA-256 of the token (<c>analytics admin hash-token</c>, or <c>printf %s TOKEN | sha256sum</c>).</summary>
    public string TokenSha256 { get; set; } = "";
}
