using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Analytics.ServiceDefaults.Hosting;
using Analytics.ServiceDefaults.Tests.Infrastructure;

namespace Analytics.ServiceDefaults.Tests.Hosting;

/// <summary>A wrong certificate path or a bad PEM stops start-up with one line naming the setting, never a stack trace.</summary>
public sealed class CertificateStartupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("certs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The admin listener's certificate goes through the same loader and validation as the
    // sidecar's TLS listener (Analytics.ServiceDefaults.Tls.CertificateFiles).
    [Fact]
    public async Task A_missing_certificate_file_is_one_line_naming_the_setting()
    {
        var missing = Path.Combine(_dir, "missing.pem");

        var line = ConfigurationLine(await StartHttpsAdminAsync(missing));

        Assert.Contains("Test:Admin:Tls:CertificateFile", line, StringComparison.Ordinal);
        Assert.Contains($"'{missing}' not found", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_key_file_names_the_key_setting()
    {
        var (cert, _) = WritePemPair();
        var missingKey = Path.Combine(_dir, "missing.key");

        var line = ConfigurationLine(await StartHttpsAdminAsync(cert, missingKey));

        Assert.Contains("Test:Admin:Tls:KeyFile", line, StringComparison.Ordinal);
        Assert.Contains($"'{missingKey}' not found", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_pem_is_one_line_naming_the_setting()
    {
        var bad = Path.Combine(_dir, "bad.pem");
        File.WriteAllText(bad, "-----BEGIN CERTIFICATE-----\nthis is not base64\n-----END CERTIFICATE-----\n");

        var line = ConfigurationLine(await StartHttpsAdminAsync(bad));

        Assert.Contains("Test:Admin:Tls:CertificateFile", line, StringComparison.Ordinal);
        Assert.Contains($"'{bad}' could not be loaded with its key", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_does_not_match_the_certificate_is_refused()
    {
        var (cert, _) = WritePemPair();
        var (_, otherKey) = WritePemPair("other");

        var line = ConfigurationLine(await StartHttpsAdminAsync(cert, otherKey));

        Assert.Contains($"'{cert}' could not be loaded with its key", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_good_pem_pair_starts_the_admin_listener_over_https()
    {
        var (cert, key) = WritePemPair();

        Assert.Null(await StartHttpsAdminAsync(cert, key));
    }

    private static async Task<Exception?> StartHttpsAdminAsync(string certificate, string? key = null) =>
        await Record.ExceptionAsync(async () => await (await AdminHost.StartAsync(new Dictionary<string, string?>
        {
            ["Test:Admin:Url"] = "https://127.0.0.1:0",
            ["Test:Admin:Tls:CertificateFile"] = certificate,
            ["Test:Admin:Tls:KeyFile"] = key,
        })).DisposeAsync());

    [Fact]
    public async Task A_missing_kestrel_certificate_is_one_line()
    {
        var missing = Path.Combine(_dir, "kestrel-missing.pem");
        var ex = await Record.ExceptionAsync(async () => await (await AdminHost.StartAsync(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Proxy:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Proxy:Certificate:Path"] = missing,
            ["Kestrel:Endpoints:Proxy:Certificate:KeyPath"] = missing + ".key",
        })).DisposeAsync());

        var line = OneLine(ex);

        Assert.Contains("Kestrel:", line, StringComparison.Ordinal);
        Assert.Contains(missing, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_kestrel_pem_is_one_line()
    {
        var bad = Path.Combine(_dir, "kestrel-bad.pem");
        File.WriteAllText(bad, "not a certificate\n");
        var ex = await Record.ExceptionAsync(async () => await (await AdminHost.StartAsync(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Proxy:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Proxy:Certificate:Path"] = bad,
            ["Kestrel:Endpoints:Proxy:Certificate:KeyPath"] = bad,
        })).DisposeAsync());

        var line = OneLine(ex);

        Assert.Contains("Kestrel:", line, StringComparison.Ordinal);
    }

    // Our own certificate settings are configuration (exit code 2); Kestrel's are the environment (1).
    private static string ConfigurationLine(Exception? ex) => OneLine(ex, StartupFailure.ConfigurationExitCode);

    private static string OneLine(Exception? ex, int exitCode = StartupFailure.EnvironmentExitCode)
    {
        Assert.NotNull(ex);
        var failure = StartupFailure.From(ex);
        Assert.True(failure is not null, ex.ToString());
        Assert.Equal(exitCode, failure.ExitCode);
        var line = Assert.Single(failure.Lines);
        Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
        return line;
    }

    private (string Cert, string Key) WritePemPair(string name = "server")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(_dir, name + ".crt");
        var keyPath = Path.Combine(_dir, name + ".key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }
}
