using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Analytics.ServiceDefaults.Options;

namespace Analytics.ServiceDefaults.Tls;

/// <summary>Loads certificates and CA bundles from PEM or PFX files and checks chains against a private CA.</summary>
public static class CertificateFiles
{
    /// <summary>Loads the server certificate (with its private key) that <paramref name="options"/> names.</summary>
    public static X509Certificate2 Load(TlsCertificateOptions options)
    {
        var file = options.CertificateFile!;
        if (IsPfx(file))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(file, options.Password, X509KeyStorageFlags.EphemeralKeySet);
        }

        var key = string.IsNullOrWhiteSpace(options.KeyFile) ? file : options.KeyFile;
        var certificate = string.IsNullOrEmpty(options.Password)
            ? X509Certificate2.CreateFromPemFile(file, key)
            : X509Certificate2.CreateFromEncryptedPemFile(file, options.Password, key);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CryptographicException($"'{file}' has no private key");
        }

        return certificate;
    }

    /// <summary>Every certificate of a PEM bundle (CA certificates trusted as roots).</summary>
    public static X509Certificate2Collection LoadCaBundle(string file)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(file);
        if (bundle.Count == 0)
        {
            throw new CryptographicException($"'{file}' holds no PEM certificate");
        }

        return bundle;
    }

    /// <summary>
    /// Validates <paramref name="options"/> at start-up: the files exist and the certificate loads
    /// with its key. Each problem is one line naming the key and the file.
    /// </summary>
    public static void Validate(TlsCertificateOptions options, ValidationErrors errors, string prefix)
    {
        if (!options.Enabled)
        {
            errors.AddIf(!string.IsNullOrWhiteSpace(options.KeyFile), prefix + "KeyFile", "is set without CertificateFile");
            return;
        }

        if (!File.Exists(options.CertificateFile))
        {
            errors.Add(prefix + "CertificateFile", $"file '{options.CertificateFile}' not found");
            return;
        }

        if (!string.IsNullOrWhiteSpace(options.KeyFile) && !File.Exists(options.KeyFile))
        {
            errors.Add(prefix + "KeyFile", $"file '{options.KeyFile}' not found");
            return;
        }

        try
        {
            using var certificate = Load(options);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException)
        {
            errors.Add(prefix + "CertificateFile", $"'{options.CertificateFile}' could not be loaded with its key: {ex.Message.TrimEnd('.')}");
        }
    }

    /// <summary>Validates a CA bundle file at start-up.</summary>
    public static void ValidateCaBundle(string? file, ValidationErrors errors, string key)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return;
        }

        if (!File.Exists(file))
        {
            errors.Add(key, $"file '{file}' not found");
            return;
        }

        try
        {
            LoadCaBundle(file);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException)
        {
            errors.Add(key, $"'{file}' is not a PEM CA bundle: {ex.Message.TrimEnd('.')}");
        }
    }

    /// <summary>
    /// True when <paramref name="certificate"/> chains to one of <paramref name="roots"/> (and only
    /// them), is within its validity and allows <paramref name="usage"/>. Errors other than an
    /// untrusted root (a name mismatch, no certificate) still fail. Revocation is not checked:
    /// private CAs rarely publish CRLs; rotate short-lived certificates instead.
    /// </summary>
    public static bool ChainsTo(X509Certificate? certificate, X509Certificate2Collection roots, SslPolicyErrors errors, Oid usage)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(usage);
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        try
        {
            return chain.Build(leaf);
        }
        finally
        {
            if (!ReferenceEquals(leaf, certificate))
            {
                leaf.Dispose();
            }
        }
    }

    private static bool IsPfx(string file) =>
        file.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
}
