namespace Analytics.Detection.Rules;

/// <summary>Thresholds of every rule (<c>Analyzer:Rules:*</c>).</summary>
public sealed class RulesOptions
{
    public BruteForceOptions BruteForce { get; set; } = new();

    public CredentialStuffingOptions CredentialStuffing { get; set; } = new();

    public EnumerationOptions Enumeration { get; set; } = new();

    public ScrapingOptions Scraping { get; set; } = new();

    public FloodOptions Flood { get; set; } = new();

    public InjectionOptions Injection { get; set; } = new();

    public ScanningOptions Scanning { get; set; } = new();

    public ShadowApiOptions ShadowApi { get; set; } = new();

    /// <summary>Every rule's options by config name, for shared validation and for switching all rules at once.</summary>
    internal IEnumerable<(string Name, RuleOptions Rule)> All()
    {
        yield return (nameof(BruteForce), BruteForce);
        yield return (nameof(CredentialStuffing), CredentialStuffing);
        yield return (nameof(Enumeration), Enumeration);
        yield return (nameof(Scraping), Scraping);
        yield return (nameof(Flood), Flood);
        yield return (nameof(Injection), Injection);
        yield return (nameof(Scanning), Scanning);
        yield return (nameof(ShadowApi), ShadowApi);
    }

    /// <summary>Rule-specific threshold problems as (key below Rules, problem).</summary>
    internal IEnumerable<(string Key, string Problem)> Problems()
    {
        static IEnumerable<(string, string)> Positive(string key, double value) =>
            value > 0 ? [] : [(key, "must be positive")];

        static IEnumerable<(string, string)> Share(string key, double value) =>
            value is >= 0 and <= 1 ? [] : [(key, "must be between 0 and 1")];

        return
        [
            .. Positive("BruteForce:Failures1m", BruteForce.Failures1m),
            .. Positive("BruteForce:Failures10m", BruteForce.Failures10m),
            .. Share("BruteForce:FailureShare10m", BruteForce.FailureShare10m),
            .. Positive("BruteForce:Failures1h", BruteForce.Failures1h),
            .. Positive("BruteForce:Failures24h", BruteForce.Failures24h),
            .. Share("BruteForce:FailureShareHorizon", BruteForce.FailureShareHorizon),
            .. Positive("BruteForce:TargetFailures1h", BruteForce.TargetFailures1h),
            .. Positive("BruteForce:TargetSources1h", BruteForce.TargetSources1h),
            .. Positive("CredentialStuffing:RangeDistinctIdentifiers10m", CredentialStuffing.RangeDistinctIdentifiers10m),
            .. Positive("CredentialStuffing:RangeDistinctSources1h", CredentialStuffing.RangeDistinctSources1h),
            .. Share("CredentialStuffing:RangeFailureShare1h", CredentialStuffing.RangeFailureShare1h),
            .. Positive("CredentialStuffing:FingerprintDistinctIdentifiers10m", CredentialStuffing.FingerprintDistinctIdentifiers10m),
            .. Positive("CredentialStuffing:FingerprintDistinctSources1h", CredentialStuffing.FingerprintDistinctSources1h),
            .. Positive("Scraping:DistinctPaths1h", Scraping.DistinctPaths1h),
            .. Share("Scraping:MinUniqueShare1h", Scraping.MinUniqueShare1h),
            .. Positive("Scraping:RotationSources1m", Scraping.RotationSources1m),
            .. Positive("Scraping:RotationRequestsPerSource", Scraping.RotationRequestsPerSource),
            .. Positive("Scraping:RotationDistinct1m", Scraping.RotationDistinct1m),
            .. Share("Scraping:RotationUniqueShare", Scraping.RotationUniqueShare),
            .. Positive("Scraping:RotationMaxAgents", Scraping.RotationMaxAgents),
            .. Positive("CredentialStuffing:DistinctIdentifiers1m", CredentialStuffing.DistinctIdentifiers1m),
            .. Positive("CredentialStuffing:DistinctIdentifiers10m", CredentialStuffing.DistinctIdentifiers10m),
            .. Share("CredentialStuffing:FailureShare", CredentialStuffing.FailureShare),
            .. Positive("CredentialStuffing:RouteDistinctIdentifiers1m", CredentialStuffing.RouteDistinctIdentifiers1m),
            .. Positive("CredentialStuffing:RouteDistinctSources1m", CredentialStuffing.RouteDistinctSources1m),
            .. Positive("CredentialStuffing:ParticipantFailures10m", CredentialStuffing.ParticipantFailures10m),
            .. Share("CredentialStuffing:RouteFailureShare", CredentialStuffing.RouteFailureShare),
            .. Positive("Enumeration:DistinctIds1m", Enumeration.DistinctIds1m),
            .. Share("Enumeration:SequentialRatio", Enumeration.SequentialRatio),
            .. Share("Enumeration:DeniedShare", Enumeration.DeniedShare),
            .. Positive("Enumeration:Sequential10m", Enumeration.Sequential10m),
            .. Share("Enumeration:SequentialShare10m", Enumeration.SequentialShare10m),
            .. Positive("Scraping:DistinctPaths1m", Scraping.DistinctPaths1m),
            .. Share("Scraping:MaxErrorShare", Scraping.MaxErrorShare),
            .. Positive("Scraping:MaxInterArrivalCv", Scraping.MaxInterArrivalCv),
            .. Positive("Flood:MinRate", Flood.MinRate),
            .. Positive("Flood:BaselineFactor", Flood.BaselineFactor),
            .. Positive("Flood:RouteMinRate", Flood.RouteMinRate),
            .. Positive("Flood:RouteBaselineFactor", Flood.RouteBaselineFactor),
            .. Positive("Injection:Findings10m", Injection.Findings10m),
            .. Positive("Scanning:SensitivePaths10m", Scanning.SensitivePaths10m),
            .. Positive("Scanning:NotFound1m", Scanning.NotFound1m),
            .. Share("Scanning:NotFoundShare", Scanning.NotFoundShare),
            .. Positive("ShadowApi:UndocumentedHits10m", ShadowApi.UndocumentedHits10m),
        ];
    }
}
