using Analytics.Analyzer.Decisions;
using Analytics.Detection.Decisions;
using Analytics.Messaging;
using Microsoft.Extensions.Time.Testing;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Decisions;

public sealed class DecisionEngineTests
{
    private static IEnumerable<RequestEvent> Burst(string ip, DateTimeOffset at) =>
        Enumerable.Range(0, 10).Select(i => FailedLogin(ip, at.AddSeconds(i)));

    [Fact]
    public void Allowlisted_ip_and_cidr_get_neither_decision_nor_alert()
    {
        var options = new AnalyzerOptions();
        options.Decisions.Allowlist.Add(new AllowlistEntry { Scope = "ip", Value = "203.0.113.1" });
        options.Decisions.Allowlist.Add(new AllowlistEntry { Scope = "cidr", Value = "10.20.0.0/16" });
        var pipeline = Pipeline(options);
        Assert.Empty(Run(pipeline, Burst("203.0.113.1", T0)));
        Assert.Empty(Run(pipeline, Burst("10.20.3.4", T0)));
        Assert.Single(Run(pipeline, Burst("203.0.113.2", T0)));
        Assert.Equal(2, pipeline.Decisions.Suppressed);
    }

    [Fact]
    public void Expired_allowlist_entries_no_longer_apply()
    {
        var time = new FakeTimeProvider(T0);
        var options = new AnalyzerOptions();
        options.Decisions.Allowlist.Add(new AllowlistEntry { Scope = "ip", Value = "203.0.113.1", Expires = T0.AddMinutes(1) });
        var pipeline = Pipeline(options, time);
        Assert.Empty(Run(pipeline, Burst("203.0.113.1", T0)));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Single(Run(pipeline, Burst("203.0.113.1", T0.AddMinutes(2))));
    }

    [Fact]
    public void Simulated_rule_decides_and_alerts_but_marks_both_simulated()
    {
        var options = new AnalyzerOptions();
        options.Rules.BruteForce.Simulate = true;
        var outcome = Assert.Single(Run(Pipeline(options), Burst("203.0.113.3", T0)));
        Assert.True(outcome.Decision!.Simulated);
        Assert.True(outcome.Alert.Simulated);
    }

    [Fact]
    public void Repeat_offenders_get_escalating_ttls()
    {
        var pipeline = Pipeline();
        var first = Assert.Single(Run(pipeline, Burst("203.0.113.4", T0)));
        // After the first 15-minute decision lapses, the same IP offends again.
        var second = Assert.Single(Run(pipeline, Burst("203.0.113.4", T0.AddMinutes(20))));
        Assert.Equal(TimeSpan.FromMinutes(15), first.Decision!.Expires - first.Decision.Created);
        Assert.Equal(TimeSpan.FromMinutes(60), second.Decision!.Expires - second.Decision.Created);
        Assert.Contains("offence 2", second.Decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decisions_per_minute_are_capped_but_alerts_still_flow()
    {
        var options = new AnalyzerOptions();
        options.Decisions.MaxDecisionsPerMinute = 3;
        var pipeline = Pipeline(options);
        var outcomes = Run(pipeline, Enumerable.Range(0, 5).SelectMany(i => Burst($"203.0.113.{10 + i}", T0)).OrderBy(e => e.Timestamp));
        Assert.Equal(5, outcomes.Count);
        Assert.Equal(3, outcomes.Count(o => o.Decision is not null));
        Assert.Equal(2, pipeline.Decisions.Capped);
        Assert.Contains(outcomes, o => o.Decision is null && o.Alert.Summary.Contains("cap", StringComparison.Ordinal));
    }

    [Fact]
    public void Alert_only_rules_publish_no_decision()
    {
        var options = new AnalyzerOptions();
        options.Rules.BruteForce.Action = "alert";
        var outcome = Assert.Single(Run(Pipeline(options), Burst("203.0.113.5", T0)));
        Assert.Null(outcome.Decision);
        Assert.Null(outcome.Alert.DecisionId);
    }

    [Fact]
    public void Throttle_rules_carry_the_configured_rate()
    {
        var options = new AnalyzerOptions();
        options.Rules.BruteForce.Action = "throttle";
        options.Decisions.ThrottleRate = 0.5;
        var outcome = Assert.Single(Run(Pipeline(options), Burst("203.0.113.6", T0)));
        Assert.Equal(DecisionActions.Throttle, outcome.Decision!.Action);
        Assert.Equal(0.5, outcome.Decision.Rate);
    }
}
