using Analytics.Analyzer.Decisions;
using Analytics.Detection.Decisions;
using Analytics.ServiceDefaults.Options;

namespace Analytics.Analyzer.Tests;

public sealed class AnalyzerOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var errors = new ValidationErrors(AnalyzerOptions.Section);
        AnalyzerOptionsValidator.Validate(new AnalyzerOptions(), errors);
        Assert.Empty(errors.Messages);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_key()
    {
        var o = new AnalyzerOptions();
        o.Rules.Flood.MinRate = 0;
        o.Rules.Scraping.Action = "ban";
        o.Rules.Enumeration.Scopes = "ip,planet";
        o.Decisions.Allowlist.Add(new AllowlistEntry { Scope = "cidr", Value = "10.0.0.0/33" });
        o.Model.TopFeatures = 0;
        var errors = new ValidationErrors(AnalyzerOptions.Section);
        AnalyzerOptionsValidator.Validate(o, errors);
        Assert.Contains(errors.Messages, m => m.StartsWith("Analyzer:Rules:Flood:MinRate:", StringComparison.Ordinal));
        Assert.Contains(errors.Messages, m => m.StartsWith("Analyzer:Rules:Scraping:Action:", StringComparison.Ordinal));
        Assert.Contains(errors.Messages, m => m.StartsWith("Analyzer:Rules:Enumeration:Scopes:", StringComparison.Ordinal));
        Assert.Contains(errors.Messages, m => m.StartsWith("Analyzer:Decisions:Allowlist:0:Value:", StringComparison.Ordinal));
        Assert.Contains(errors.Messages, m => m.StartsWith("Analyzer:Model:TopFeatures:", StringComparison.Ordinal));
        Assert.Equal(5, errors.Count);
    }
}
