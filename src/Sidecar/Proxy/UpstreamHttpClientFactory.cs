using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Analytics.ServiceDefaults.Tls;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Analytics.Sidecar.Proxy;

/// <summary>
/// YARP's client factory with the sidecar's upstream settings: the connect timeout (YARP has no
/// setting for it) and, with <see cref="UpstreamOptions.CaCertificateFile"/>, TLS trust in that
/// CA instead of the system's; trace context as <see cref="UpstreamTraceContext"/> decides.
/// </summary>
internal sealed class UpstreamHttpClientFactory(IOptions<ProxyOptions> options, UpstreamTraceContext traceContext, ILogger<ForwarderHttpClientFactory> logger)
    : ForwarderHttpClientFactory(logger)
{
    private readonly Lazy<X509Certificate2Collection?> _trustedRoots = new(() =>
        options.Value.Upstream.CaCertificateFile is { Length: > 0 } file ? CertificateFiles.LoadCaBundle(file) : null);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        traceContext.Configure(handler);
        var upstream = options.Value.Upstream;
        handler.ConnectTimeout = upstream.ConnectTimeout;
        // A cluster that asked to accept any certificate keeps its (explicit, dangerous) choice.
        if (_trustedRoots.Value is { } roots && context.NewConfig.DangerousAcceptAnyServerCertificate != true)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                CertificateFiles.ChainsTo(certificate, roots, errors, CertificateUsages.ServerAuthentication);
        }
    }
}
