using Analytics.Inspection;
using Analytics.Sidecar.Inspection;

namespace Analytics.Sidecar.Routes;

/// <summary>The sidecar's policy for one YARP route (<c>Sidecar:Routes:{routeId}</c>).</summary>
public sealed class SidecarRouteOptions
{
    /// <summary><c>anonymous</c> or <c>authenticated</c> (the default: routes are closed unless opened).</summary>
    public string Auth { get; set; } = RouteAuthModes.Authenticated;

    /// <summary>Roles of which the caller needs at least one (JWT <c>roles</c>/<c>role</c> claims or the API key's roles).</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Scopes the caller needs all of (JWT <c>scope</c>/<c>scp</c> claims).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Name of a policy under <c>Sidecar:RateLimiting:Policies</c>; none means no per-route limit.</summary>
    public string? RateLimitPolicy { get; set; }

    /// <summary>Largest request body accepted on this route, in bytes (413 above); null keeps the listener's limit.</summary>
    public long? MaxRequestBodyBytes { get; set; }

    /// <summary>Body field holding the login identifier, hashed into telemetry for credential-stuffing detection (e.g. <c>username</c>).</summary>
    public string? LoginField { get; set; }

    /// <summary>
    /// mTLS as an authentication method on this route: <c>ignore</c> (default), <c>accept</c> or
    /// <c>require</c> (see <see cref="ClientCertificateModes"/>); the certificate's subject is the principal.
    /// </summary>
    public string ClientCertificate { get; set; } = ClientCertificateModes.Ignore;

    /// <summary>Request inspection for this route.</summary>
    public RouteInspectionOptions Inspection { get; set; } = new();
}
