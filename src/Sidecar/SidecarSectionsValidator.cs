using Analytics.Sidecar.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Analytics.Sidecar;

/// <summary>Rejects child sections of <c>Sidecar</c> that nothing reads (a misspelt section would otherwise be ignored).</summary>
internal sealed class SidecarSectionsValidator(IConfiguration configuration) : IValidateOptions<ProxyOptions>
{
    /// <summary>Child sections of <c>Sidecar</c> that some part of the sidecar reads; anything else is a typo and stops start-up.</summary>
    internal static readonly HashSet<string> KnownSections = new(StringComparer.OrdinalIgnoreCase)
    {
        "Admin", "Proxy", "Auth", "RateLimiting", "Routes", "Telemetry", "Inspection", "Catalog", "DefaultRoutePolicy",
    };

    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var unknown = configuration.GetSection("Sidecar").GetChildren()
            .Where(c => !KnownSections.Contains(c.Key))
            .Select(c => $"Sidecar:{c.Key}: unknown section (known: {string.Join(", ", KnownSections.Order())})")
            .ToList();
        return unknown.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(unknown);
    }
}
