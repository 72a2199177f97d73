using Microsoft.Extensions.Logging;

namespace Analytics.Analyzer;

/// <summary>Source-generated log messages of the analyzer (event ids 3000–3099). Never secrets or bodies.</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Information, "Analyzer consuming {Stream} as group {Group} with {Detectors} detectors")]
    public static partial void Started(ILogger logger, string stream, string group, int detectors);

    [LoggerMessage(3001, LogLevel.Warning, "Decision {DecisionId}: {Action} {Scope} {Value} for {Detector} until {Expires} (simulated: {Simulated})")]
    public static partial void DecisionMade(ILogger logger, string decisionId, string action, string scope, string value, string detector, DateTimeOffset? expires, bool simulated);

    [LoggerMessage(3002, LogLevel.Information, "Alert {Type} for {Entity} without a decision")]
    public static partial void AlertOnly(ILogger logger, string type, string entity);

    [LoggerMessage(3003, LogLevel.Error, "Processing request event at offset {Offset} failed; it is skipped")]
    public static partial void ProcessingFailed(ILogger logger, long offset, Exception exception);

    [LoggerMessage(3004, LogLevel.Information, "Model {Name} loaded from {Path} (threshold {Threshold})")]
    public static partial void ModelLoaded(ILogger logger, string name, string path, double threshold);

    [LoggerMessage(3005, LogLevel.Warning, "Model at {Path} could not be loaded; keeping the previous one")]
    public static partial void ModelLoadFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(3008, LogLevel.Warning, "No model at {Path}; anomaly scoring is off until one is trained (see docs/analyzer.md)")]
    public static partial void ModelMissing(ILogger logger, string path);

    [LoggerMessage(3006, LogLevel.Information, "Decision expiry sweep removed {Count} expired decisions")]
    public static partial void ExpirySweep(ILogger logger, int count);

    [LoggerMessage(3007, LogLevel.Information, "Retrain: candidate {Candidate} {Outcome}")]
    public static partial void Retrain(ILogger logger, string candidate, string outcome);

    [LoggerMessage(3010, LogLevel.Information, "{Partitions} partitions of {Stream} assigned")]
    public static partial void PartitionsAssigned(ILogger logger, int partitions, string stream);

    [LoggerMessage(3011, LogLevel.Information, "{Partitions} partitions of {Stream} were revoked; dropped the windows of {Entities} entities")]
    public static partial void StagePartitionsRevoked(ILogger logger, int partitions, string stream, int entities);

    [LoggerMessage(3009, LogLevel.Information, "{Partitions} partitions of the requests stream were revoked; dropped the windows of {Entities} entities")]
    public static partial void PartitionsRevoked(ILogger logger, int partitions, int entities);

    [LoggerMessage(3090, LogLevel.Error, "Decision {DecisionId} ({Scope}) breaks the decision rules ({Reason}) and was not published; the alert still is")]
    public static partial void DecisionRefused(ILogger logger, string decisionId, string scope, string reason);
}
