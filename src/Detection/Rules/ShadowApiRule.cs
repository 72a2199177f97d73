using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection.Rules;

/// <summary>Shadow API settings (<c>Analyzer:Rules:ShadowApi</c>). Alert-only by default: the caller may be legitimate, the endpoint is the finding.</summary>
public sealed class ShadowApiOptions : RuleOptions
{
    /// <summary>Requests to endpoints the API description does not document, within ten minutes.</summary>
    public int UndocumentedHits10m { get; set; } = 5;

    public ShadowApiOptions()
    {
        Action = "alert";
        Severity = "medium";
        Ttl = TimeSpan.FromHours(1);
    }
}

/// <summary>Repeated use of undocumented endpoints (<c>catalog == "undocumented"</c>).</summary>
internal sealed class ShadowApiRule(ShadowApiOptions options) : IDetector
{
    public string AlertType => AlertTypes.ShadowApi;

    public int ScopeMask { get; } = ScopeMasks.Parse(options.Scopes);

    private static readonly int[] Shown = [F.Undocumented10m, F.Undocumented1m, F.Requests10m];

    public string Name => "shadow_api";

    public DetectorHit? Evaluate(ref DetectionContext ctx)
    {
        if (ctx.Scope == EntityScope.Route)
        {
            return null;
        }

        var f = ctx.Features;
        if (f[F.Undocumented10m] < options.UndocumentedHits10m)
        {
            return null;
        }

        return RuleHits.Create(Name, AlertTypes.ShadowApi, ref ctx, options,
            EvidenceBuilder.Build(ref ctx, "10m", Shown, new Dictionary<string, double> { ["undocumented_hits_10m"] = options.UndocumentedHits10m },
                $"{RuleHits.Describe(ref ctx)} called undocumented endpoints {f[F.Undocumented10m]:0} times within 10 minutes (threshold {options.UndocumentedHits10m}), latest {ctx.Event.Method} {ctx.Event.Path}."),
            f[F.Undocumented10m] / options.UndocumentedHits10m, $"Shadow API use by {RuleHits.Describe(ref ctx)}");
    }
}
