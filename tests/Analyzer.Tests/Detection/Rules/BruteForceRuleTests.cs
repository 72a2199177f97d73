using Analytics.Messaging;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Detection.Rules;

public sealed class BruteForceRuleTests
{
    [Fact]
    public void Tenth_failure_within_a_minute_blocks_the_ip_with_evidence()
    {
        var pipeline = Pipeline();
        var events = Enumerable.Range(0, 10).Select(i => FailedLogin("203.0.113.7", T0.AddSeconds(i * 5))).ToList();

        var first9 = Run(pipeline, events.Take(9));
        Assert.Empty(first9);
        var outcomes = Run(pipeline, events.Skip(9));

        var outcome = Assert.Single(outcomes);
        var d = Assert.IsType<Decision>(outcome.Decision);
        Assert.Equal(DecisionActions.Block, d.Action);
        Assert.Equal(DecisionScopes.Ip, d.Scope);
        Assert.Equal("203.0.113.7", d.Value);
        Assert.Equal("rule:brute_force", d.Source);
        Assert.Equal(TimeSpan.FromMinutes(15), d.Expires - d.Created);
        Assert.False(d.Simulated);
        Assert.True(Guid.TryParse(d.Id, out _));
        var ev = Assert.IsType<Evidence>(d.Evidence);
        Assert.Equal("1m", ev.Window);
        Assert.Equal(10, ev.Features["auth_failures_1m"]);
        Assert.Equal(10, ev.Thresholds["auth_failures_1m"]);
        Assert.Contains("10 authentication failures", ev.Explanation, StringComparison.Ordinal);

        Assert.Equal(AlertTypes.BruteForce, outcome.Alert.Type);
        Assert.Equal("brute_force:ip:203.0.113.7", outcome.Alert.DedupKey);
        Assert.Equal(d.Id, outcome.Alert.DecisionId);
    }

    [Fact]
    public void Failures_spread_over_more_than_a_minute_do_not_trigger_the_fast_threshold()
    {
        var pipeline = Pipeline();
        // 10 failures, one every 8 s: the oldest leaves the 1-minute window before the tenth arrives.
        var outcomes = Run(pipeline, Enumerable.Range(0, 10).Select(i => FailedLogin("203.0.113.8", T0.AddSeconds(i * 8))));
        Assert.Empty(outcomes);
    }

    [Fact]
    public void Unauthorised_on_a_login_route_counts_even_without_an_auth_outcome()
    {
        var pipeline = Pipeline();
        var events = Enumerable.Range(0, 10).Select(i => FailedLogin("198.51.100.2", T0.AddSeconds(i)) with { Auth = AuthInfo.NotEvaluated });
        Assert.Single(Run(pipeline, events));
    }

    [Fact]
    public void Slow_brute_force_is_caught_on_the_ten_minute_window()
    {
        var pipeline = Pipeline();
        // One failure every 15 s: never 10 in a minute, but 30 within ten minutes.
        var outcomes = Run(pipeline, Enumerable.Range(0, 35).Select(i => FailedLogin("192.0.2.50", T0.AddSeconds(i * 15))));
        var outcome = Assert.Single(outcomes);
        Assert.Equal("10m", outcome.Decision!.Evidence!.Window);
        Assert.True(outcome.Decision.Evidence.Features["auth_failures_10m"] >= 30);
    }

    [Fact]
    public void A_repeat_is_not_decided_again_while_the_decision_is_in_force()
    {
        var pipeline = Pipeline();
        var outcomes = Run(pipeline, Enumerable.Range(0, 40).Select(i => FailedLogin("203.0.113.9", T0.AddSeconds(i))));
        Assert.Single(outcomes);
    }
}
