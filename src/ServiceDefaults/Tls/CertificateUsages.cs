using System.Security.Cryptography;

namespace Analytics.ServiceDefaults.Tls;

/// <summary>Extended key usages checked on peer certificates.</summary>
public static class CertificateUsages
{
    /// <summary>id-kp-serverAuth.</summary>
    public static Oid ServerAuthentication => new("1.3.6.1.5.5.7.3.1");

    /// <summary>id-kp-clientAuth.</summary>
    public static Oid ClientAuthentication => new("1.3.6.1.5.5.7.3.2");
}
