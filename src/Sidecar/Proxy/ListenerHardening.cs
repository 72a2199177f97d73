using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using IPNetwork = System.Net.IPNetwork;

namespace Analytics.Sidecar.Proxy;

/// <summary>Kestrel's limits and the forwarded-headers trust, both derived from <c>Sidecar:Proxy</c>.</summary>
internal static class ListenerHardening
{
    public static void ConfigureKestrel(WebApplicationBuilder builder, ListenerLimitsOptions limits)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Kestrel's own limits are a backstop at twice the sidecar's: requests between the
            // two are rejected by the sidecar, which records them; beyond, Kestrel drops them early.
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalBytes * 2;
            kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount * 2;
            kestrel.Limits.MaxRequestBodySize = Math.Max(limits.MaxRequestBodyBytes, 1) * 2;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(limits.RequestHeadersTimeoutSeconds);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(limits.KeepAliveTimeoutSeconds);
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
            kestrel.Limits.MinRequestBodyDataRate = limits.MinRequestBodyBytesPerSecond > 0
                ? new MinDataRate(limits.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5))
                : null;
        });
    }

    public static void ConfigureForwardedHeaders(ForwardedHeadersOptions forwarded, ProxyOptions proxy)
    {
        // With both known-proxy lists empty the middleware believes every peer, so "trust
        // nobody" has to mean "process no forwarded headers at all".
        forwarded.ForwardedHeaders = proxy.TrustedProxies.Count == 0
            ? ForwardedHeaders.None
            : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // The framework trusts loopback by default; trust exactly what the operator listed.
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds the loopback default and is still consulted
        forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
        forwarded.ForwardLimit = 1;
        foreach (var entry in proxy.TrustedProxies)
        {
            if (entry.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(entry, out var network))
            {
                forwarded.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                forwarded.KnownProxies.Add(address);
            }
        }
    }
}
