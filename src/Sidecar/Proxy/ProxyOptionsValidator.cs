using System.Net;
using Analytics.ServiceDefaults.Options;
using Analytics.ServiceDefaults.Tls;
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

        var upstream = options.Upstream;
        errors.AddIf(upstream.ConnectTimeout < TimeSpan.FromMilliseconds(50) || upstream.ConnectTimeout > TimeSpan.FromMinutes(10), "Upstream:ConnectTimeout", "between 00:00:00.05 and 00:10:00");
        errors.AddIf(upstream.ActivityTimeout < TimeSpan.FromMilliseconds(50) || upstream.ActivityTimeout > TimeSpan.FromHours(1), "Upstream:ActivityTimeout", "between 00:00:00.05 and 01:00:00");
        CertificateFiles.ValidateCaBundle(upstream.CaCertificateFile, errors, "Upstream:CaCertificateFile");
    }
}
