namespace Analytics.Detection;

/// <summary>Builds a rule's hit for the entity in the context.</summary>
internal static class RuleHits
{
    public static DetectorHit Create(string name, string alertType, ref DetectionContext ctx, RuleOptions rule, Messaging.Evidence evidence, double score, string title, bool alertOnly = false) => new()
    {
        Detector = name,
        Source = "rule:" + name,
        AlertType = alertType,
        Scope = ctx.Scope,
        Value = ctx.State.Key,
        Rule = rule,
        Evidence = evidence,
        Title = title,
        Score = Math.Round(score, 3),
        AlertOnly = alertOnly,
    };

    public static string Describe(ref DetectionContext ctx) => $"{Features.EntityScopes.Name(ctx.Scope)} {ctx.State.Key}";
}
