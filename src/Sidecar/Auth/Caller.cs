using System.Security.Claims;
using Analytics.Messaging;

namespace Analytics.Sidecar.Auth;

/// <summary>The authenticated caller, as later steps (enforcement, rate limiting, forwarding) need it. Immutable; an API key's is made once.</summary>
internal sealed class Caller
{
    public Caller(string kind, string id, IReadOnlyList<string> roles, IReadOnlyList<string> scopes)
    {
        Kind = kind;
        Id = id;
        Roles = roles;
        Scopes = scopes;
        PartitionKey = kind + ":" + id;
        Principal = new PrincipalInfo(kind, id);
        RolesHeader = roles.Count > 0 ? string.Join(',', roles) : null;
    }

    public string Kind { get; }

    public string Id { get; }

    public IReadOnlyList<string> Roles { get; }

    public IReadOnlyList<string> Scopes { get; }

    /// <summary>The rate-limit partition of this caller, <c>kind:id</c>.</summary>
    public string PartitionKey { get; }

    /// <summary>The caller as telemetry names it.</summary>
    public PrincipalInfo Principal { get; }

    /// <summary>The <c>X-Authenticated-Roles</c> value sent upstream; null without roles.</summary>
    public string? RolesHeader { get; }

    public bool HasAnyRole(string[] required)
    {
        if (required.Length == 0)
        {
            return true;
        }

        foreach (var role in required)
        {
            if (Contains(Roles, role))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first required scope the caller lacks, or null.</summary>
    public string? MissingScope(string[] required)
    {
        foreach (var scope in required)
        {
            if (!Contains(Scopes, scope))
            {
                return scope;
            }
        }

        return null;
    }

    public static Caller FromJwt(ClaimsPrincipal principal, IReadOnlyList<string> roleClaims)
    {
        var roles = new List<string>();
        var scopes = new List<string>();
        foreach (var claim in principal.Claims)
        {
            if (claim.Type is "scope" or "scp")
            {
                scopes.AddRange(claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
            else if (Contains(roleClaims, claim.Type))
            {
                roles.Add(claim.Value);
            }
        }

        var subject = principal.FindFirst("sub")?.Value ?? "";
        return new Caller(PrincipalKinds.Jwt, subject, roles, scopes);
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
