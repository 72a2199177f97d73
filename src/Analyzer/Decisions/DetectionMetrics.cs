using System.Diagnostics.Metrics;
using Analytics.Detection.Decisions;
using Analytics.ServiceDefaults.Telemetry;

namespace Analytics.Analyzer.Decisions;

/// <summary>Detections (meter <c>Analytics.Analyzer.Detection</c>): by detector, and the alerts they raised by type. <c>GET /analyzer/stats</c> reads the same counts.</summary>
internal sealed class DetectionMetrics
{
    public const string MeterName = "Analytics.Analyzer.Detection";

    private readonly TaggedCounts _detections;
    private readonly TaggedCounts _alerts;

    public DetectionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _detections = new TaggedCounts(meter, "analytics.analyzer.detections", "{detection}", "Detections published, by detector", "detector");
        _alerts = new TaggedCounts(meter, "analytics.analyzer.alerts", "{alert}", "Alerts published, by type", "type");
    }

    /// <summary>Detections since start, by detector.</summary>
    public Dictionary<string, long> ByDetector() => _detections.SumBy("detector");

    /// <summary>Counts one published outcome.</summary>
    public void Detected(AnalyzerOutcome outcome)
    {
        _detections.Add(1, outcome.Detector);
        _alerts.Add(1, outcome.Alert.Type);
    }
}
