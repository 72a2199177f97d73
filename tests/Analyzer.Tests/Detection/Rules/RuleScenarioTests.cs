using Analytics.Detection;
using Analytics.Messaging;
using Analytics.Traffic;

namespace Analytics.Analyzer.Tests.Detection.Rules;

/// <summary>Each detector on its attack scenario (fast, low-and-slow and distributed variants) and on its hardest benign look-alike.</summary>
public sealed class RuleScenarioTests
{
    public static TheoryData<string, string[]> Attacks => new()
    {
        { AlertTypes.BruteForce, ["auth_failures_1m", "auth_failures_10m"] },
        { AlertTypes.CredentialStuffing, ["distinct_failed_logins_1m", "distinct_failed_logins_10m", "route_distinct_failed_logins_1m"] },
        { AlertTypes.Enumeration, ["distinct_ids_1m", "sequential_ids_10m"] },
        { AlertTypes.Scraping, ["distinct_paths_1m"] },
        { AlertTypes.Flood, ["rate_10s"] },
        { AlertTypes.Injection, ["inspection_findings_10m"] },
        { AlertTypes.Scanning, ["sensitive_path_hits_10m", "ratio_404_1m"] },
        { AlertTypes.ShadowApi, ["undocumented_hits_10m"] },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Every_attacker_is_detected_by_its_rule_with_evidence_naming_the_features(string attackClass, string[] features)
    {
        var (events, outcomes) = Scenarios.Run(Scenarios.Attack(attackClass));

        var attackers = events.Where(e => e.AttackClass == attackClass).Select(e => e.Event.ClientIp).ToHashSet();
        Assert.NotEmpty(attackers);
        var byRule = outcomes.Where(o => o.Alert.Type == attackClass).ToList();
        foreach (var ip in attackers)
        {
            var hit = byRule.FirstOrDefault(o => o.Alert.Entity == "ip:" + ip);
            Assert.True(hit is not null, $"{attackClass} attacker {ip} was not detected");
            var evidence = hit.Alert.Evidence!;
            Assert.Contains(evidence.Features.Keys, k => features.Contains(k));
            Assert.NotEmpty(evidence.Thresholds);
            Assert.False(string.IsNullOrWhiteSpace(evidence.Explanation));
            Assert.NotNull(evidence.Window);
        }

        var benign = events.Where(e => e.Label == TrafficLabels.Benign).Select(e => "ip:" + e.Event.ClientIp).ToHashSet();
        Assert.DoesNotContain(outcomes, o => benign.Contains(o.Alert.Entity));
    }

    [Fact]
    public void Nat_shared_ip_with_typos_and_retired_app_calls_raises_nothing()
    {
        // Brute force, credential stuffing, injection and shadow API look-alike: 60 users behind one address.
        var (events, outcomes) = Scenarios.Run(Scenarios.LookAlikes(nats: 3, batches: 0, crawlers: 0));
        Assert.Contains(events, e => e.Event.Auth.Outcome == AuthOutcomes.Failure);
        Assert.Contains(events, e => e.Event.Inspection is not null);
        Assert.Contains(events, e => e.Event.Catalog == "undocumented");
        Assert.Empty(outcomes);
    }

    [Fact]
    public void Batch_integration_at_a_steady_high_rate_raises_nothing()
    {
        // Flood, enumeration and scraping look-alike: 12 requests/s, machine-regular, many ids.
        var (events, outcomes) = Scenarios.Run(Scenarios.LookAlikes(nats: 0, batches: 2, crawlers: 0));
        Assert.True(events.Count > 10_000);
        Assert.Empty(outcomes);
    }

    [Fact]
    public void Crawler_with_many_distinct_pages_and_404s_raises_nothing()
    {
        // Scraping and scanning look-alike: regular timing, hundreds of distinct paths, mostly 404.
        var (events, outcomes) = Scenarios.Run(Scenarios.LookAlikes(nats: 0, batches: 0, crawlers: 2));
        Assert.True(events.Count(e => e.Event.Status == 404) > 300);
        Assert.Empty(outcomes);
    }

    [Fact]
    public void Look_alikes_raise_nothing_with_the_model_on_either()
    {
        var model = Scenarios.DefaultModel();
        Assert.NotNull(model);
        var (_, outcomes) = Scenarios.Run(Scenarios.LookAlikes(nats: 2, batches: 2, crawlers: 2, seed: 21), model: model);
        Assert.True(outcomes.Count == 0, string.Join("\n", outcomes.Select(o => o.Alert.Summary)));
    }
}
