using Analytics.Messaging;
using Analytics.Traffic;

namespace Analytics.Analyzer.Tests.Detection.Rules;

/// <summary>
/// Golden scenarios for the stealthy attacks, in event time from the seeded generator: each is
/// detected within ten minutes of its first request, and none of the look-alikes raises anything.
/// </summary>
public sealed class StealthyScenarioTests
{
    public static TheoryData<string, string, string> Variants => new()
    {
        { AlertTypes.BruteForce, "brute_force-lowslow", "auth_failures_1h" },
        { AlertTypes.CredentialStuffing, "credential_stuffing-botnet24", "distinct_failed_logins_10m" },
        { AlertTypes.Scraping, "scraping-ipv6rotation", "distinct_sources_1m" },
        { AlertTypes.Scraping, "scraping-slow", "distinct_paths_1h" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_stealthy_attacker_is_caught_within_ten_minutes_and_no_look_alike_is_flagged(string attackClass, string variant, string feature)
    {
        var (result, outcomes) = Scenarios.Evaluate(Scenarios.Stealthy(attackClass));

        var m = result.Variants[variant];
        Assert.True(m.Entities > 0);
        Assert.True(m.Recall == 1, $"{variant}: {m.Detected} of {m.Entities}");
        Assert.True(m.MaxTimeToDetectSeconds <= 600, $"{variant}: slowest detection after {m.MaxTimeToDetectSeconds} s");
        Assert.Contains(outcomes, o => o.Alert.Type == attackClass && o.Alert.Evidence!.Features.ContainsKey(feature));
        Assert.Equal(0, result.Overall.FalsePositives);
        Assert.Equal(0, result.Collateral);
        Assert.All(result.BenignPopulations, p => Assert.True(p.Value.Flagged == 0, $"{p.Key}: {p.Value.Flagged} flagged"));
    }

    [Fact]
    public void The_look_alikes_alone_raise_nothing_at_all()
    {
        // Carrier-grade NAT, university /24, IPv6 homes with privacy addresses, slow poller, probe, typists.
        var traffic = Scenarios.Stealthy(AlertTypes.BruteForce, seed: 8, benignOnly: true);
        traffic.Universities = 2;
        traffic.Typists = 30;
        var (result, outcomes) = Scenarios.Evaluate(traffic);
        foreach (var population in new[] { "cgnat", "university", "ipv6home", "slowpoller", "probe", "typist" })
        {
            Assert.True(result.BenignPopulations.ContainsKey(population), population);
        }

        Assert.True(outcomes.Count == 0, string.Join("\n", outcomes.Select(o => o.Alert.Summary)));
    }

    [Fact]
    public void Range_decisions_cover_the_botnet_and_are_scored_per_address()
    {
        var (result, outcomes) = Scenarios.Evaluate(Scenarios.Stealthy(AlertTypes.CredentialStuffing));
        var decided = outcomes.Where(o => o.Decision?.Scope == DecisionScopes.Cidr).ToList();
        Assert.NotEmpty(decided);
        Assert.All(decided, o => Assert.EndsWith("/24", o.Decision!.Value, StringComparison.Ordinal));
        var range = Assert.Single(result.Ranges, r => r.Range == decided[0].Decision!.Value);
        Assert.True(range.Decided);
        Assert.True(range.Attackers >= 40, $"{range.Attackers} addresses inside");
        Assert.Equal(0, range.Benign);
    }
}
