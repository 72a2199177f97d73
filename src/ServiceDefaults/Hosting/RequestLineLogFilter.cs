using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Analytics.ServiceDefaults.Hosting;

/// <summary>
/// Keeps the framework's request-line logs out of every log: ASP.NET Core's
/// "Request starting GET http://…?api_key=…" and YARP's "Proxying to http://…?access_token=…"
/// copy the raw query string, where clients do put credentials. The per-request telemetry event
/// covers the same requests without values. Only a rule for exactly these categories in
/// configuration overrides this.
/// </summary>
internal static class RequestLineLogFilter
{
    // Off altogether, not only below Warning: while this category is enabled at any level, hosting
    // opens a logging scope for every request (a scope object, its state and two execution-context
    // copies for the async-local push and pop: 3.4 % of the proxy's allocated bytes), which no log
    // of ours prints. Its other logs are start-up failures, which ServiceRunner reports itself.
    private const string HostingRequests = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private const string ProxyRequests = "Yarp.ReverseProxy.Forwarder.HttpForwarder";

    public static void AddTo(WebApplicationBuilder builder)
    {
        builder.Logging.AddFilter(HostingRequests, LogLevel.None);
        builder.Logging.AddFilter(ProxyRequests, LogLevel.Warning);
    }
}
