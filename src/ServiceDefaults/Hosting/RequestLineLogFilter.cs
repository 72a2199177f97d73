using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Analytics.ServiceDefaults.Hosting;

/// <summary>
/// Keeps the framework's request-line logs below Warning out of every log: ASP.NET Core's
/// "Request starting GET http://…?api_key=…" and YARP's "Proxying to http://…?access_token=…"
/// copy the raw query string, where clients do put credentials. The per-request telemetry event
/// covers the same requests without values. Only a rule for exactly these categories in
/// configuration overrides this.
/// </summary>
internal static class RequestLineLogFilter
{
    private static readonly string[] Categories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Yarp.ReverseProxy.Forwarder.HttpForwarder",
    ];

    public static void AddTo(WebApplicationBuilder builder)
    {
        foreach (var category in Categories)
        {
            builder.Logging.AddFilter(category, LogLevel.Warning);
        }
    }
}
