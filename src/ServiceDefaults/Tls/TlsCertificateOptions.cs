namespace Analytics.ServiceDefaults.Tls;

/// <summary>
/// A listener's certificate on disk: a PEM certificate (chain) with its PEM key, or a PFX
/// (PKCS#12). Re-read when the files change, so a renewed certificate needs no restart.
/// </summary>
public class TlsCertificateOptions
{
    /// <summary>The certificate: PEM (<c>.pem</c>, <c>.crt</c>, …; leaf first, then intermediates) or PFX (<c>.pfx</c>, <c>.p12</c>).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key; omit it when the key is in <see cref="CertificateFile"/> (PFX, or PEM with the key appended).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The PFX password, or the password of an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>True when a certificate is configured, i.e. the listener speaks TLS.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificateFile);
}
