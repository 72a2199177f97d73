using Analytics.Detection;
using Analytics.Detection.Model;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Options;

namespace Analytics.Analyzer;

/// <summary>Checks analyzer options beyond data annotations; every problem names its key.</summary>
internal static class AnalyzerOptionsValidator
{
    public static void Validate(AnalyzerOptions o, ValidationErrors errors)
    {
        errors.AddIf(string.IsNullOrWhiteSpace(o.ConsumerGroup), "ConsumerGroup", "must not be empty");
        errors.AddIf(o.Stages is not ("auto" or "one" or "two"), "Stages", $"'{o.Stages}' is not auto, one or two");
        errors.AddIf(o.Decisions.SigningKey is { } signingKey && signingKey.Length < DecisionRules.MinSigningKeyLength, "Decisions:SigningKey",
            $"must be at least {DecisionRules.MinSigningKeyLength} characters (e.g. openssl rand -hex 32)");
        var f = o.Features;
        errors.AddIf(f.LateTolerance < TimeSpan.Zero || f.LateTolerance > TimeSpan.FromSeconds(50), "Features:LateTolerance", "must be between 0 and 50 seconds (the 1-minute window must still hold late events)");
        errors.AddIf(f.IdleTimeout < TimeSpan.FromMinutes(1), "Features:IdleTimeout", "must be at least one minute");
        errors.AddIf(f.MaxEntities < 100, "Features:MaxEntities", "must be at least 100");
        errors.AddIf(f.Ipv4Prefix is < 8 or > 32, "Features:Ipv4Prefix", "must be between 8 and 32");
        errors.AddIf(f.Ipv6Prefix is < 16 or > 128, "Features:Ipv6Prefix", "must be between 16 and 128");

        foreach (var (name, rule) in o.Rules.All())
        {
            var key = "Rules:" + name;
            errors.AddIf(rule.Action is not ("block" or "throttle" or "alert"), key + ":Action", $"'{rule.Action}' is not block, throttle or alert");
            errors.AddIf(!ScopeMasks.IsValid(rule.Scopes), key + ":Scopes", $"'{rule.Scopes}' is not a comma-separated list of ip, api_key, subject, route, cidr, login, fingerprint");
            errors.AddIf(rule.Ttl <= TimeSpan.Zero, key + ":Ttl", "must be positive");
            errors.AddIf(AlertSeverities.Rank(rule.Severity) == 0 && rule.Severity != AlertSeverities.Info, key + ":Severity", $"'{rule.Severity}' is not a severity");
        }

        foreach (var problem in o.Rules.Problems())
        {
            errors.Add("Rules:" + problem.Key, problem.Problem);
        }

        var d = o.Decisions;
        errors.AddIf(d.EscalationFactor < 1, "Decisions:EscalationFactor", "must be at least 1");
        errors.AddIf(d.MaxDecisionsPerMinute < 0, "Decisions:MaxDecisionsPerMinute", "must not be negative");
        errors.AddIf(d.ThrottleRate <= 0, "Decisions:ThrottleRate", "must be positive");
        errors.AddIf(d.MaxTtl <= TimeSpan.Zero, "Decisions:MaxTtl", "must be positive");
        errors.AddIf(d.Ranges.MinPrefixV4 is < 8 or > 32, "Decisions:Ranges:MinPrefixV4", "must be between 8 and 32");
        errors.AddIf(d.Ranges.MinPrefixV6 is < 16 or > 128, "Decisions:Ranges:MinPrefixV6", "must be between 16 and 128");
        errors.AddIf(d.Ranges.MaxCollateral < 0, "Decisions:Ranges:MaxCollateral", "must not be negative");
        for (var i = 0; i < d.Allowlist.Count; i++)
        {
            var e = d.Allowlist[i];
            var key = $"Decisions:Allowlist:{i}";
            if (!DecisionScopes.IsKnown(e.Scope))
            {
                errors.Add(key + ":Scope", $"'{e.Scope}' is not ip, cidr, api_key or subject");
            }
            else if (e.Scope == DecisionScopes.Cidr && !System.Net.IPNetwork.TryParse(e.Value, out _))
            {
                errors.Add(key + ":Value", $"'{e.Value}' is not a CIDR range");
            }
            else if (e.Scope == DecisionScopes.Ip && !System.Net.IPAddress.TryParse(e.Value, out _))
            {
                errors.Add(key + ":Value", $"'{e.Value}' is not an IP address");
            }
            else if (string.IsNullOrWhiteSpace(e.Value))
            {
                errors.Add(key + ":Value", "must not be empty");
            }
        }

        ModelOptionsValidator.Validate(o.Model, errors);
    }
}
