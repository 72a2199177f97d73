using Microsoft.Extensions.Logging;

namespace Analytics.Sidecar.Proxy;

/// <summary>Log lines of the proxy edge: reasons only, never header values.</summary>
internal static partial class ProxyLog
{
    // Keeps the event id it had when the guard lived under Inspection, for existing log queries.
    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Request rejected before the proxy: {Reason}")]
    public static partial void Ambiguous(ILogger logger, string reason);
}
