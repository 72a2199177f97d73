using System.Net;
using Analytics.ServiceDefaults.Options;
using IPNetwork = System.Net.IPNetwork;

namespace Analytics.Sidecar.Proxy;

/// <summary>Checks <c>Sidecar:Proxy</c> beyond its annotations: every trusted proxy is an address or a CIDR range.</summary>
internal static class ProxyOptionsValidator
{
    public static void Validate(ProxyOptions options, ValidationErrors errors)
    {
        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            var entry = options.TrustedProxies[i];
            var ok = entry.Contains('/', StringComparison.Ordinal) ? IPNetwork.TryParse(entry, out _) : IPAddress.TryParse(entry, out _);
            errors.AddIf(!ok, $"TrustedProxies:{i}", $"'{entry}' is not an IP address or CIDR range");
        }

        errors.AddIf(EscapedSlashActions.Parse(options.EscapedSlashes) is null, "EscapedSlashes",
            $"'{options.EscapedSlashes}' is not one of {string.Join(", ", EscapedSlashActions.All)}");
    }
}
