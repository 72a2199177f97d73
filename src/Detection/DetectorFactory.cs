
using Analytics.Detection.Rules;

namespace Analytics.Detection;

/// <summary>Creates the enabled detectors from options.</summary>
internal static class DetectorFactory
{
    public static List<IDetector> CreateRules(RulesOptions rules)
    {
        var list = new List<IDetector>();
        void Add(RuleOptions o, Func<IDetector> create)
        {
            if (o.Enabled)
            {
                list.Add(create());
            }
        }

        Add(rules.BruteForce, () => new BruteForceRule(rules.BruteForce));
        Add(rules.CredentialStuffing, () => new CredentialStuffingRule(rules.CredentialStuffing));
        Add(rules.Enumeration, () => new EnumerationRule(rules.Enumeration));
        Add(rules.Scraping, () => new ScrapingRule(rules.Scraping));
        Add(rules.Flood, () => new FloodRule(rules.Flood));
        Add(rules.Injection, () => new InjectionRule(rules.Injection));
        Add(rules.Scanning, () => new ScanningRule(rules.Scanning));
        Add(rules.ShadowApi, () => new ShadowApiRule(rules.ShadowApi));
        return list;
    }
}
