using Analytics.Messaging;

namespace Analytics.Analyzer.Traffic;

/// <summary>A request event with its ground truth: <c>benign</c> or <c>attack</c> and the attack class.</summary>
public sealed record LabelledEvent(RequestEvent Event, string Label, string? AttackClass, string Actor);

/// <summary>Labels used by the generator and evaluate.</summary>
public static class TrafficLabels
{
    public const string Benign = "benign";
    public const string Attack = "attack";

    /// <summary>Attack classes the generator produces: the alert types of the rule detectors.</summary>
    public static readonly string[] AttackClasses =
    [
        AlertTypes.BruteForce, AlertTypes.CredentialStuffing, AlertTypes.Enumeration, AlertTypes.Scraping,
        AlertTypes.Flood, AlertTypes.Injection, AlertTypes.Scanning, AlertTypes.ShadowApi,
    ];
}
