using System.Security.Cryptography.X509Certificates;
using Analytics.ServiceDefaults.Options;
using Analytics.ServiceDefaults.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Sidecar.Tls;

/// <summary>Registration of TLS on the proxy listener: every https endpoint of Kestrel's configuration gets the reloading certificate, TLS 1.2+ and, with a CA, client certificates.</summary>
public static class TlsExtensions
{
    internal static WebApplicationBuilder AddSidecarTls(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddValidatedOptions<SidecarTlsOptions>(configuration, SidecarTlsOptions.Section)
            .ValidateWith<SidecarTlsOptions>(SidecarTlsOptions.Section, (o, errors) => Validate(o, errors, configuration));

        // Bound now: Kestrel's endpoints are configured before the options are resolved. Nothing
        // is loaded here; the first handshake loads the files, after start-up validation named any problem.
        var tls = new SidecarTlsOptions();
        configuration.GetSection(SidecarTlsOptions.Section).Bind(tls);
        if (!tls.Enabled)
        {
            return builder;
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Analytics.Sidecar.Tls");
            var certificate = new ReloadingCertificate(tls, logger);
            var clientRoots = new Lazy<X509Certificate2Collection?>(() =>
                string.IsNullOrWhiteSpace(tls.ClientCertificateCaFile) ? null : CertificateFiles.LoadCaBundle(tls.ClientCertificateCaFile));
            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.SslProtocols = TlsListener.Protocols;
                https.ServerCertificateSelector = (_, _) => certificate.Current;
                if (!string.IsNullOrWhiteSpace(tls.ClientCertificateCaFile))
                {
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.CheckCertificateRevocation = false;
                    https.ClientCertificateValidation = (client, _, errors) =>
                        CertificateFiles.ChainsTo(client, clientRoots.Value!, errors, CertificateUsages.ClientAuthentication);
                }
            });
        });
        return builder;
    }

    private static void Validate(SidecarTlsOptions o, ValidationErrors errors, IConfiguration configuration)
    {
        CertificateFiles.Validate(o, errors, "");
        CertificateFiles.ValidateCaBundle(o.ClientCertificateCaFile, errors, "ClientCertificateCaFile");
        errors.AddIf(!o.Enabled && !string.IsNullOrWhiteSpace(o.ClientCertificateCaFile), "ClientCertificateCaFile", "client certificates need TLS: set CertificateFile too");
        errors.AddIf(o.Hsts.Contains('\r', StringComparison.Ordinal) || o.Hsts.Contains('\n', StringComparison.Ordinal), "Hsts", "a header value on one line");
        var https = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Any(e => e["Url"]?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true);
        errors.AddIf(o.Enabled && !https, "CertificateFile", "is set but no Kestrel endpoint is https (e.g. Kestrel:Endpoints:Proxy:Url=https://0.0.0.0:8443)");
    }
}
