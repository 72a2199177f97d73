using Analytics.Analyzer.Detection.Rules;

namespace Analytics.Analyzer.Detection;

/// <summary>Creates the enabled detectors from options.</summary>
internal static class DetectorFactory
{
    public static List<IDetector> CreateRules(RulesOptions rules)
    {
        var list = new List<IDetector>();
        if (rules.BruteForce.Enabled)
        {
            list.Add(new BruteForceRule(rules.BruteForce));
        }

        return list;
    }
}
