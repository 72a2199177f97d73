using System.ComponentModel.DataAnnotations;

namespace Analytics.ServiceDefaults.Admin;

/// <summary>The admin listener: where it binds and the token every endpoint but /healthz requires.</summary>
public sealed class AdminOptions
{
    /// <summary>Where the admin API listens. Loopback only unless <see cref="AllowNonLoopback"/> is set.</summary>
    [Required]
    public string Url { get; set; } = "http://127.0.0.1:9901";

    /// <summary>The bearer token for admin endpoints. Required: the admin API refuses to start without one.</summary>
    public string? Token { get; set; }

    /// <summary>Binding the admin API to a non-loopback address is an explicit operator choice.</summary>
    public bool AllowNonLoopback { get; set; }
}
