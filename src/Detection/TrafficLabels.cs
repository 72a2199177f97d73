using Analytics.Messaging;

namespace Analytics.Detection;

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
