using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Analytics.ServiceDefaults.Tls;

/// <summary>HTTPS on a Kestrel listener with a certificate re-read from disk and TLS 1.2 or later only.</summary>
public static class TlsListener
{
    /// <summary>TLS 1.2 and 1.3; older versions are refused at the handshake.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Makes <paramref name="listen"/> speak HTTPS with <paramref name="certificate"/>; <paramref name="configure"/> adds e.g. client certificates.</summary>
    public static ListenOptions UseReloadingHttps(this ListenOptions listen, ReloadingCertificate certificate, Action<HttpsConnectionAdapterOptions>? configure = null)
    {
        var https = new HttpsConnectionAdapterOptions
        {
            SslProtocols = Protocols,
            ServerCertificateSelector = (_, _) => certificate.Current,
        };
        configure?.Invoke(https);
        return listen.UseHttps(https);
    }
}
