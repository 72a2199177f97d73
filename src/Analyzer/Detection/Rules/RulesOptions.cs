namespace Analytics.Analyzer.Detection.Rules;

/// <summary>Thresholds of every rule (<c>Analyzer:Rules:*</c>).</summary>
public sealed class RulesOptions
{
    public BruteForceOptions BruteForce { get; set; } = new();

    /// <summary>Every rule's options by config name, for shared validation and for switching all rules at once.</summary>
    internal IEnumerable<(string Name, RuleOptions Rule)> All()
    {
        yield return (nameof(BruteForce), BruteForce);
    }

    /// <summary>Rule-specific threshold problems as (key below Rules, problem).</summary>
    internal IEnumerable<(string Key, string Problem)> Problems()
    {
        if (BruteForce.Failures1m < 1)
        {
            yield return ("BruteForce:Failures1m", "must be at least 1");
        }

        if (BruteForce.Failures10m < 1)
        {
            yield return ("BruteForce:Failures10m", "must be at least 1");
        }
    }
}
