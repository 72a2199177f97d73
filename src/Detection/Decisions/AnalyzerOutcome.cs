using Analytics.Messaging;

namespace Analytics.Detection.Decisions;

/// <summary>What the analyzer publishes for one detection: a decision (unless alert-only or capped) and its alert.</summary>
internal sealed record AnalyzerOutcome(Decision? Decision, Alert Alert, string Detector);
