namespace Analytics.Sidecar.Inspection.Detectors;

/// <summary>Scans one normalised value for one attack class and reports findings at <see cref="FindingSet.Current"/>.</summary>
internal interface IDetector
{
    void Scan(string value, FindingSet findings);
}
