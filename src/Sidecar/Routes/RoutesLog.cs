using Microsoft.Extensions.Logging;

namespace Analytics.Sidecar.Routes;

/// <summary>Log lines of the route policies.</summary>
internal static partial class RoutesLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Sidecar:Routes reloaded: {Count} route policies")]
    public static partial void Reloaded(ILogger logger, int count);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Sidecar:Routes reload refused, the previous route policies keep serving: {Errors}")]
    public static partial void ReloadRefused(ILogger logger, string errors);
}
