using System.ComponentModel.DataAnnotations;
using Analytics.ServiceDefaults.Tls;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>The admin listener: where it binds and the credentials its endpoints require (all but the probes and the sign-in page).</summary>
public sealed class AdminOptions
{
    /// <summary>Where the admin API listens. Loopback only unless <see cref="AllowNonLoopback"/> is set.</summary>
    [Required]
    public string Url { get; set; } = "http://127.0.0.1:9901";

    /// <summary>
    /// The bearer token of the <c>admin</c> credential named <c>default</c>. Required unless
    /// <see cref="Credentials"/> names at least one credential.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Named credentials with roles (<c>viewer</c>, <c>operator</c>, <c>admin</c>), stored as SHA-256 hashes of their tokens.</summary>
    public Dictionary<string, AdminCredentialOptions> Credentials { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The certificate when <see cref="Url"/> is https.</summary>
    public TlsCertificateOptions Tls { get; set; } = new();

    /// <summary>Binding the admin API to a non-loopback address is an explicit operator choice.</summary>
    public bool AllowNonLoopback { get; set; }

    /// <summary>
    /// An optional second token that opens <c>/metrics</c> and nothing else, so a Prometheus
    /// server can scrape without holding the admin token.
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>How long a browser session from the sign-in page lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
