using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection.Rules;

/// <summary>Injection probing settings (<c>Analyzer:Rules:Injection</c>).</summary>
public sealed class InjectionOptions : RuleOptions
{
    /// <summary>Requests with inspection findings within ten minutes.</summary>
    public int Findings10m { get; set; } = 3;
}

/// <summary>Repeated inspection findings (SQLi, XSS, traversal, ...) from one entity: someone is probing.</summary>
internal sealed class InjectionRule(InjectionOptions options) : IDetector
{
    public string AlertType => AlertTypes.Injection;

    public int ScopeMask { get; } = ScopeMasks.Parse(options.Scopes);

    private static readonly int[] Shown = [F.Findings10m, F.Findings1m, F.FindingCategories1m, F.Requests10m];

    public string Name => "injection";

    public DetectorHit? Evaluate(ref DetectionContext ctx)
    {
        if (ctx.Scope == EntityScope.Route)
        {
            return null;
        }

        var f = ctx.Features;
        if (f[F.Findings10m] < options.Findings10m)
        {
            return null;
        }

        var categories = ctx.Event.Inspection is { Categories.Count: > 0 } i ? string.Join(", ", i.Categories) : "unknown";
        return RuleHits.Create(Name, AlertTypes.Injection, ref ctx, options,
            EvidenceBuilder.Build(ref ctx, "10m", Shown, new Dictionary<string, double> { ["inspection_findings_10m"] = options.Findings10m },
                $"{f[F.Findings10m]:0} requests from {RuleHits.Describe(ref ctx)} had inspection findings within 10 minutes (threshold {options.Findings10m}); latest categories: {categories}."),
            f[F.Findings10m] / options.Findings10m, $"Injection probing by {RuleHits.Describe(ref ctx)}");
    }
}
