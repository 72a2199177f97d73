using System.ComponentModel.DataAnnotations;

namespace Analytics.Sidecar.Proxy;

/// <summary>Listener hardening, trusted proxies and response headers (<c>Sidecar:Proxy</c>).</summary>
public sealed class ProxyOptions
{
    public const string Section = "Sidecar:Proxy";

    /// <summary>Peers (IP addresses or CIDR ranges) whose X-Forwarded-For/-Proto are believed. Empty: none, the TCP peer is the client.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Headers added to every response unless the upstream already set them.</summary>
    public Dictionary<string, string> SecurityHeaders { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["X-Content-Type-Options"] = "nosniff",
        ["X-Frame-Options"] = "DENY",
        ["Referrer-Policy"] = "no-referrer",
        ["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains",
        ["Cache-Control"] = "no-store",
    };

    /// <summary>Response headers removed because they advertise server software.</summary>
    public List<string> RemoveResponseHeaders { get; set; } = ["Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version"];

    /// <summary>Request headers never forwarded upstream: credentials the sidecar consumed and identity headers a client could spoof.</summary>
    public List<string> StripRequestHeaders { get; set; } = ["X-Authenticated-Principal", "X-Authenticated-Kind", "X-Authenticated-Roles"];

    public ListenerLimitsOptions Limits { get; set; } = new();

    /// <summary>A path holding %2F or %5C: RejectRequest (400, the default), KeepUnchanged, UnescapeAndRedirect or UnescapeAndForward (Envoy's path_with_escaped_slashes_action).</summary>
    public string EscapedSlashes { get; set; } = EscapedSlashActions.RejectRequest;
}

/// <summary>Request limits. The sidecar checks them itself (so rejections become telemetry); Kestrel enforces twice these values as a backstop.</summary>
public sealed class ListenerLimitsOptions
{
    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadersTotalBytes { get; set; } = 16 * 1024;

    [Range(8, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>Default body limit for routes that set none.</summary>
    [Range(0, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    [Range(1, 600)]
    public int RequestHeadersTimeoutSeconds { get; set; } = 15;

    [Range(0, 1_000_000)]
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    [Range(1, 600)]
    public int KeepAliveTimeoutSeconds { get; set; } = 120;

    [Range(1, 1_000_000)]
    public int MaxConcurrentConnections { get; set; } = 10_000;
}
