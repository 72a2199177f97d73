namespace Analytics.Analyzer.Detection;

/// <summary>An explainable detector evaluated on every event for each entity the event touched.</summary>
internal interface IDetector
{
    string Name { get; }

    /// <summary>Returns a hit when the entity crosses the detector's thresholds, else null. Must not allocate when nothing is found.</summary>
    DetectorHit? Evaluate(ref DetectionContext context);
}
