using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Analytics.ServiceDefaults.Hosting;

/// <summary>
/// Loads a TLS certificate that a setting names, as a PEM pair (certificate and key) or a PKCS#12
/// file. Every failure is a <see cref="StartupFileException"/> naming the setting, so a wrong path or
/// a bad PEM stops start-up with one line instead of a stack trace.
/// </summary>
public static class CertificateFiles
{
    /// <summary>
    /// Loads the certificate at <paramref name="path"/> (setting <paramref name="setting"/>). With
    /// <paramref name="keyPath"/> (setting <paramref name="keySetting"/>) both are PEM; a
    /// <c>.pem</c>/<c>.crt</c> file without one must hold its key too; anything else is PKCS#12.
    /// </summary>
    public static X509Certificate2 Load(string setting, string path, string? keyPath = null, string? keySetting = null, string? password = null)
    {
        Require(setting, path);
        if (!string.IsNullOrEmpty(keyPath))
        {
            Require(keySetting ?? setting, keyPath);
        }

        var pem = !string.IsNullOrEmpty(keyPath) || IsPemName(path);
        try
        {
            var certificate = pem
                ? string.IsNullOrEmpty(password)
                    ? X509Certificate2.CreateFromPemFile(path, string.IsNullOrEmpty(keyPath) ? null : keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, password, string.IsNullOrEmpty(keyPath) ? null : keyPath)
                : X509CertificateLoader.LoadPkcs12FromFile(path, password);
            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                throw new StartupFileException(setting, path, "the certificate has no private key (give the key file too)");
            }

            return certificate;
        }
        // A key that does not match the certificate is an ArgumentException.
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new StartupFileException(keyPath is { Length: > 0 } && keySetting is not null ? $"{setting} / {keySetting}" : setting, path,
                (pem ? "not a PEM certificate with a matching private key" : "not a PKCS#12 file, or the password is wrong") + $" ({ex.Message.TrimEnd('.')})", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupFileException(setting, path, "cannot be read: " + ex.Message.TrimEnd('.'), ex);
        }
    }

    private static void Require(string setting, string path)
    {
        if (!File.Exists(path))
        {
            throw new StartupFileException(setting, path, "file not found");
        }
    }

    private static bool IsPemName(string path) =>
        path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase);
}
