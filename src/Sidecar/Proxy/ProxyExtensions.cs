using Analytics.ServiceDefaults.Options;
using Analytics.ServiceDefaults.Telemetry;
using Analytics.Sidecar.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Analytics.Sidecar.Proxy;

/// <summary>Registration of the proxy itself: listener hardening, forwarded-headers trust, YARP and its transforms.</summary>
public static class ProxyExtensions
{
    internal static WebApplicationBuilder AddSidecarProxy(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddValidatedOptions<ProxyOptions>(configuration, ProxyOptions.Section)
            .ValidateWith<ProxyOptions>(ProxyOptions.Section, ProxyOptionsValidator.Validate);

        var limits = new ListenerLimitsOptions();
        configuration.GetSection($"{ProxyOptions.Section}:Limits").Bind(limits);
        ListenerHardening.ConfigureKestrel(builder, limits);
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ProxyOptions>>((forwarded, proxy) => ListenerHardening.ConfigureForwardedHeaders(forwarded, proxy.Value));

        var apiKeyHeader = configuration[$"{SidecarAuthOptions.Section}:ApiKeys:Header"] ?? new ApiKeyOptions().Header;
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddConfigFilter<UpstreamTimeoutFilter>()
            .AddTransforms(transforms => ProxyTransforms.Add(transforms, apiKeyHeader));
        services.AddSingleton<IForwarderHttpClientFactory, UpstreamHttpClientFactory>();
        services.AddSingleton(new UpstreamTraceContext(ServiceTelemetry.RecordsSpans(configuration)));
        return builder;
    }

    /// <summary>Forwarded headers, only when some proxy is trusted: with none, the step would read headers only to ignore them.</summary>
    internal static IApplicationBuilder UseSidecarForwardedHeaders(this IApplicationBuilder app)
    {
        var proxy = app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value;
        return proxy.TrustedProxies.Count > 0 ? app.UseForwardedHeaders() : app;
    }

    /// <summary>Rejects ambiguous framing (duplicate Content-Length, Transfer-Encoding games, NUL/CR/LF in headers) with 400; for hosts that compose steps one by one (the sidecar's edge step runs the same check).</summary>
    public static IApplicationBuilder UseRequestNormalizationGuard(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestNormalizationGuard>();
}
