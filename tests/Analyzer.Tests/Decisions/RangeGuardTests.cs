using Analytics.Analyzer.Decisions;
using Analytics.Detection.Decisions;
using Analytics.Messaging;
using static Analytics.Analyzer.Tests.TestEvents;

namespace Analytics.Analyzer.Tests.Decisions;

/// <summary>Range decisions pass the guardrails: minimum prefix, allowlisted ranges, collateral.</summary>
public sealed class RangeGuardTests
{
    /// <summary>Twelve addresses of 185.220.0.0/24, two failed logins each with new identifiers, over six minutes: no address crosses a per-IP threshold.</summary>
    private static IEnumerable<RequestEvent> Botnet(string prefix = "185.220.0")
    {
        var n = 0;
        for (var round = 0; round < 2; round++)
        {
            for (var b = 0; b < 12; b++)
            {
                yield return FailedLogin($"{prefix}.{10 + b}", T0.AddSeconds((round * 180) + (b * 15)), loginHash: $"leaked-{n++}");
            }
        }
    }

    private static AnalyzerOutcome RangeOutcome(List<AnalyzerOutcome> outcomes) =>
        Assert.Single(outcomes, o => o.Alert.Entity.StartsWith("cidr:", StringComparison.Ordinal));

    [Fact]
    public void A_botnet_in_one_range_gets_a_range_decision_stating_its_collateral()
    {
        var pipeline = Pipeline();
        var outcomes = Run(pipeline, Botnet());
        var range = RangeOutcome(outcomes);
        Assert.Equal("cidr:185.220.0.0/24", range.Alert.Entity);
        Assert.NotNull(range.Decision);
        Assert.Equal(DecisionScopes.Cidr, range.Decision.Scope);
        Assert.Equal("185.220.0.0/24", range.Decision.Value);
        Assert.Equal("rule:credential_stuffing", range.Decision.Source);
        var features = range.Decision.Evidence!.Features;
        Assert.True(features["range_clients"] >= 4);
        Assert.Equal(0, features["range_clients_with_login_success"]);
        Assert.Contains("logged in successfully (collateral)", range.Decision.Evidence.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain(outcomes, o => o.Alert.Entity.StartsWith("ip:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_range_wider_than_the_minimum_prefix_is_refused()
    {
        var options = new AnalyzerOptions();
        options.Features.Ipv4Prefix = 16;
        var pipeline = Pipeline(options);
        var range = RangeOutcome(Run(pipeline, Botnet()));
        Assert.Equal("cidr:185.220.0.0/16", range.Alert.Entity);
        Assert.Null(range.Decision);
        Assert.Null(range.Alert.DecisionId);
        Assert.Contains("/16 is wider than the minimum prefix /24", range.Alert.Summary, StringComparison.Ordinal);
        Assert.Equal(1, pipeline.Decisions.RangesRefused);
    }

    [Fact]
    public void A_range_over_an_allowlisted_range_is_refused()
    {
        var options = new AnalyzerOptions();
        options.Decisions.Allowlist.Add(new AllowlistEntry { Scope = "cidr", Value = "185.220.0.192/26" });
        var pipeline = Pipeline(options);
        var range = RangeOutcome(Run(pipeline, Botnet()));
        Assert.Null(range.Decision);
        Assert.Contains("overlaps the allowlisted cidr 185.220.0.192/26", range.Alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_containing_an_allowlisted_address_is_refused()
    {
        var guard = new RangeGuard(new RangeOptions(), new Allowlist([new AllowlistEntry { Scope = "ip", Value = "185.220.0.200" }], TimeProvider.System));
        Assert.Contains("allowlisted ip 185.220.0.200", guard.Refusal("185.220.0.0/24", out _), StringComparison.Ordinal);
        Assert.Null(guard.Refusal("185.220.1.0/24", out _));
        Assert.Contains("wider than the minimum prefix /48", guard.Refusal("2001:db8::/32", out _), StringComparison.Ordinal);
        Assert.Null(guard.Refusal("2001:db8:0:1::/64", out _));
    }

    [Fact]
    public void A_range_whose_users_log_in_is_only_alerted_on()
    {
        var pipeline = Pipeline();
        var user = FailedLogin("185.220.0.250", T0) with { Status = 200, Auth = new AuthInfo(AuthOutcomes.Success, null), LoginHash = "h-carol" };
        var range = RangeOutcome(Run(pipeline, Botnet().Prepend(user)));
        Assert.Null(range.Decision);
        Assert.Contains("holds 1 clients that logged in successfully", range.Alert.Summary, StringComparison.Ordinal);
        Assert.Equal(1, range.Alert.Evidence!.Features["range_clients_with_login_success"]);
    }
}
