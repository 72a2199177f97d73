namespace Analytics.Sidecar.Proxy;

/// <summary>How the sidecar talks to its upstreams (<c>Sidecar:Proxy:Upstream</c>): timeouts and the CA trusted for TLS.</summary>
public sealed class UpstreamOptions
{
    /// <summary>How long connecting to an upstream may take before the caller gets a 502 (Envoy's connect_timeout is 5 s too).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the upstream may stay silent (no response headers, no body bytes) before the
    /// caller gets a 504; a cluster's own <c>HttpRequest:ActivityTimeout</c> wins over it.
    /// </summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A PEM file of CA certificates trusted, instead of the system's, for https upstreams (a
    /// private CA). The upstream's name must still match its certificate.
    /// </summary>
    public string? CaCertificateFile { get; set; }
}
