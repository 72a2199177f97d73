using Analytics.Inspection;
using Microsoft.Extensions.Logging;

namespace Analytics.Sidecar.Inspection;

/// <summary>Inspection's log lines: rule ids, scores and route ids only, never request values.</summary>
internal static partial class InspectionLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Inspection blocked a request on route {RouteId}: score {Score}, rules {Rules}")]
    public static partial void Blocked(ILogger logger, string routeId, int score, string rules);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Inspection detected an anomalous request on route {RouteId}: score {Score}, rules {Rules}")]
    public static partial void Detected(ILogger logger, string routeId, int score, string rules);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Inspection model loaded from {Path} (threshold {Threshold})")]
    public static partial void ModelLoaded(ILogger logger, string path, double threshold);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Inspection model not found at {Path}; inspection runs on rules only")]
    public static partial void ModelMissing(ILogger logger, string path);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "OpenAPI document for cluster {ClusterId} loaded from {Path}: {Operations} operations")]
    public static partial void OpenApiLoaded(ILogger logger, string clusterId, string path, int operations);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Inspection refused a body it cannot decode on route {RouteId}")]
    public static partial void Undecodable(ILogger logger, string routeId);
}
