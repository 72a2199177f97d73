namespace Analytics.Inspection.Detectors;

/// <summary>Scans one normalised value for one attack class and reports findings at <see cref="FindingSet.Current"/>.</summary>
internal interface IDetector
{
    /// <remarks><paramref name="chars"/> is <see cref="ValueChars.Of"/> of <paramref name="value"/>, taken once for all detectors.</remarks>
    void Scan(string value, in ValueChars chars, FindingSet findings);
}
