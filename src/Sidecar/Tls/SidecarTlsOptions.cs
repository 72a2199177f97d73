using Analytics.ServiceDefaults.Tls;

namespace Analytics.Sidecar.Tls;

/// <summary>
/// TLS on the proxy listener (<c>Sidecar:Tls</c>): the certificate for https endpoints
/// (<c>Kestrel:Endpoints:Proxy:Url=https://…</c>), re-read from disk when it changes, TLS 1.2+
/// only; HSTS; and the CA that client certificates (mTLS) must chain to.
/// </summary>
public sealed class SidecarTlsOptions : TlsCertificateOptions
{
    public const string Section = "Sidecar:Tls";

    /// <summary>
    /// The <c>Strict-Transport-Security</c> value sent on responses to https requests (never on
    /// plain http, where browsers ignore it and it would only mislead); empty turns it off.
    /// </summary>
    public string Hsts { get; set; } = "max-age=31536000; includeSubDomains";

    /// <summary>
    /// A PEM bundle of the CA(s) that client certificates must chain to. Set, the listener asks
    /// for a client certificate (optional at the handshake; routes decide with
    /// <c>Sidecar:Routes:{id}:ClientCertificate</c>) and refuses the handshake for one that does not chain.
    /// </summary>
    public string? ClientCertificateCaFile { get; set; }
}
