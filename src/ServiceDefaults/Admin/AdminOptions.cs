using System.ComponentModel.DataAnnotations;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>The admin listener: where it binds and the credentials its endpoints require (all but the probes and the sign-in page).</summary>
public sealed class AdminOptions
{
    /// <summary>Where the admin API listens. Loopback only unless <see cref="AllowNonLoopback"/> is set.</summary>
    [Required]
    public string Url { get; set; } = "http://127.0.0.1:9901";

    /// <summary>The bearer token for admin endpoints. Required: the admin API refuses to start without one.</summary>
    public string? Token { get; set; }

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
