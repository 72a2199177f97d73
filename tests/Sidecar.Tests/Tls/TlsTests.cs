using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Analytics.Sidecar.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Sidecar.Tests.Tls;

/// <summary>TLS over real Kestrel with certificates made in the test: the proxy and admin listeners, reload, HSTS, mTLS and TLS to the upstream.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly TestCertificates _certs = new();

    public void Dispose() => _certs.Dispose();

    [Fact]
    public async Task The_proxy_serves_https_from_a_pem_certificate_with_tls_12_or_later_and_hsts()
    {
        var (cert, key) = _certs.WritePem(_certs.Server(), "proxy");
        await using var sidecar = await TestSidecar.StartAsync(c => Https(c, cert, key));
        Assert.StartsWith("https://", sidecar.ProxyUrl, StringComparison.Ordinal);
        using var client = _certs.HttpsClient(sidecar.ProxyUrl);

        using var response = await client.GetAsync("/open/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000; includeSubDomains", response.Headers.GetValues("Strict-Transport-Security").Single());
        var (protocol, _) = await HandshakeAsync(sidecar.ProxyUrl, SslProtocols.None);
        Assert.True(protocol is SslProtocols.Tls12 or SslProtocols.Tls13, $"negotiated {protocol}");
        var (tls12, _) = await HandshakeAsync(sidecar.ProxyUrl, SslProtocols.Tls12);
        Assert.Equal(SslProtocols.Tls12, tls12);
#pragma warning disable SYSLIB0039, CA5397 // deliberately offering only an obsolete protocol, which the listener must refuse
        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(sidecar.ProxyUrl, SslProtocols.Tls11));
#pragma warning restore SYSLIB0039, CA5397
    }

    [Fact]
    public async Task Plain_http_gets_no_hsts_and_hsts_can_be_turned_off()
    {
        await using (var plain = await TestSidecar.StartAsync(captureEvents: false))
        {
            using var client = plain.Client();
            using var response = await client.GetAsync("/open/x");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        }

        var (cert, key) = _certs.WritePem(_certs.Server(), "proxy");
        await using var off = await TestSidecar.StartAsync(c =>
        {
            Https(c, cert, key);
            c["Sidecar:Tls:Hsts"] = "";
        }, captureEvents: false);
        using var https = _certs.HttpsClient(off.ProxyUrl);
        using var answer = await https.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.False(answer.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_pfx_with_a_password_serves_too()
    {
        var pfx = _certs.WritePfx(_certs.Server(), "proxy", "pfx-password-1");
        await using var sidecar = await TestSidecar.StartAsync(c =>
        {
            c["Kestrel:Endpoints:Proxy:Url"] = "https://127.0.0.1:0";
            c["Sidecar:Tls:CertificateFile"] = pfx;
            c["Sidecar:Tls:Password"] = "pfx-password-1";
        }, captureEvents: false);
        using var client = _certs.HttpsClient(sidecar.ProxyUrl);
        using var response = await client.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_replaced_certificate_is_presented_at_the_next_handshake_without_a_restart()
    {
        var first = _certs.Server("first.test");
        var second = _certs.Server("second.test");
        var (cert, key) = _certs.WritePem(first, "proxy");
        await using var sidecar = await TestSidecar.StartAsync(c => Https(c, cert, key), captureEvents: false);

        var (_, before) = await HandshakeAsync(sidecar.ProxyUrl, SslProtocols.None);
        _certs.WritePem(second, "proxy");
        var (_, after) = await HandshakeAsync(sidecar.ProxyUrl, SslProtocols.None);

        Assert.Equal(first.Thumbprint, before);
        Assert.Equal(second.Thumbprint, after);
    }

    [Fact]
    public async Task A_missing_certificate_file_stops_start_up_naming_the_file()
    {
        var missing = Path.Combine(_certs.Directory, "nope.pem");
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => TestSidecar.StartAsync(c => Https(c, missing, null), captureEvents: false));
        var problem = Assert.Single(ServiceDefaults.Hosting.ServiceRunner.ConfigurationProblems(ex));
        Assert.StartsWith("Sidecar:Tls:CertificateFile", problem, StringComparison.Ordinal);
        Assert.Contains(missing, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_certificate_from_the_configured_ca_is_the_principal_on_an_mtls_route()
    {
        var (cert, key) = _certs.WritePem(_certs.Server(), "proxy");
        await using var sidecar = await TestSidecar.StartAsync(c =>
        {
            Https(c, cert, key);
            c["Sidecar:Tls:ClientCertificateCaFile"] = _certs.CaFile;
            c["Sidecar:Routes:keys:ClientCertificate"] = "require";
            c["Sidecar:Auth:ClientCertificates:0:Subject"] = "CN=billing, O=Example";
            c["Sidecar:Auth:ClientCertificates:0:Roles:0"] = "reader";
            c["Sidecar:Routes:open:ClientCertificate"] = "accept";
        });
        using var withCert = _certs.HttpsClient(sidecar.ProxyUrl, _certs.Client("CN=billing, O=Example"));
        using var unlisted = _certs.HttpsClient(sidecar.ProxyUrl, _certs.Client("CN=stranger"));
        using var withoutCert = _certs.HttpsClient(sidecar.ProxyUrl);

        using var ok = await withCert.GetAsync("/keys/x");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("CN=billing, O=Example", sidecar.Upstream.LastHeaders!["X-Authenticated-Principal"].ToString());
        Assert.Equal("certificate", sidecar.Upstream.LastHeaders!["X-Authenticated-Kind"].ToString());
        var seen = await sidecar.EventAsync(e => e.RequestId == ok.RequestId());
        Assert.Equal("certificate", seen.Principal.Kind);

        // No role for an unlisted subject; no certificate at all is 401; an API key does not replace it.
        using var forbidden = await unlisted.GetAsync("/keys/x");
        using var missing = await withoutCert.GetAsync("/keys/x");
        using var keyInstead = await withoutCert.GetWithAsync("/keys/x", apiKey: TestSidecar.ReaderKey);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, keyInstead.StatusCode);

        // A certificate from another CA does not get through the handshake.
        using var otherCa = new TestCertificates("Other CA");
        using var impostor = _certs.HttpsClient(sidecar.ProxyUrl, otherCa.Client("CN=billing, O=Example"));
        await Assert.ThrowsAsync<HttpRequestException>(() => impostor.GetAsync("/open/x"));
    }

    [Fact]
    public async Task Tls_to_the_upstream_trusts_the_configured_ca()
    {
        await using var upstream = await HttpsUpstreamAsync(_certs.Server());
        await using (var trusting = await TestSidecar.StartAsync(c =>
        {
            c["ReverseProxy:Clusters:up:Destinations:d1:Address"] = upstream.Url + "/";
            c["Sidecar:Proxy:Upstream:CaCertificateFile"] = _certs.CaFile;
        }, captureEvents: false))
        {
            using var client = trusting.Client();
            using var response = await client.GetAsync("/open/x");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("tls-upstream", await response.Content.ReadAsStringAsync());
        }

        await using var untrusting = await TestSidecar.StartAsync(c => c["ReverseProxy:Clusters:up:Destinations:d1:Address"] = upstream.Url + "/", captureEvents: false);
        using var refused = untrusting.Client();
        using var bad = await refused.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.BadGateway, bad.StatusCode);
    }

    [Fact]
    public async Task The_admin_listener_serves_https_with_the_same_certificate_options()
    {
        var (cert, key) = _certs.WritePem(_certs.Server(), "admin");
        await using var sidecar = await TestSidecar.StartAsync(c =>
        {
            c["Sidecar:Admin:Url"] = "https://127.0.0.1:0";
            c["Sidecar:Admin:Tls:CertificateFile"] = cert;
            c["Sidecar:Admin:Tls:KeyFile"] = key;
        }, captureEvents: false);
        Assert.StartsWith("https://", sidecar.AdminUrl, StringComparison.Ordinal);
        using var client = _certs.HttpsClient(sidecar.AdminUrl);

        using var health = await client.GetAsync("/healthz");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestSidecar.AdminToken);
        using var decisions = await client.GetAsync("/decisions");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, decisions.StatusCode);
        var (_, thumbprint) = await HandshakeAsync(sidecar.AdminUrl, SslProtocols.None);
        Assert.False(string.IsNullOrEmpty(thumbprint));
    }

    private static void Https(Dictionary<string, string?> c, string cert, string? key)
    {
        c["Kestrel:Endpoints:Proxy:Url"] = "https://127.0.0.1:0";
        c["Sidecar:Tls:CertificateFile"] = cert;
        if (key is not null)
        {
            c["Sidecar:Tls:KeyFile"] = key;
        }
    }

    /// <summary>One fresh TLS handshake: the negotiated protocol and the server certificate's thumbprint.</summary>
    private async Task<(SslProtocols Protocol, string Thumbprint)> HandshakeAsync(string url, SslProtocols protocols)
    {
        var uri = new Uri(url);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, uri.Port);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = _certs.TrustThisCa(),
            // No resumption: each handshake must show the certificate the server presents now.
            AllowTlsResume = false,
        });
        return (ssl.SslProtocol, ((X509Certificate2)ssl.RemoteCertificate!).Thumbprint);
    }

    private static async Task<HttpsUpstream> HttpsUpstreamAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        app.Map("/{**path}", () => "tls-upstream");
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return new HttpsUpstream(app, url);
    }

    private sealed record HttpsUpstream(WebApplication App, string Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
