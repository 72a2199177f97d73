using Analytics.Analyzer.Jobs;
using Analytics.Detection;
using Analytics.ServiceDefaults.Admin;

namespace Analytics.Analyzer;

/// <summary>Everything under the <c>Analyzer</c> config section, bound strictly (unknown keys are errors).</summary>
public sealed class AnalyzerOptions : DetectionOptions
{
    public const string Section = "Analyzer";

    /// <summary>Consumer group on the requests stream; analyzers sharing it split the partitions.</summary>
    public string ConsumerGroup { get; set; } = "analyzer";

    /// <summary>
    /// <c>one</c>: each instance judges every entity of the events it reads (right for a single
    /// instance). <c>two</c>: client IPs are judged as read, every other entity (principal, range,
    /// login target, route, fingerprint) after re-keying into <c>requests-by-entity</c>, so any
    /// number of instances in the group decide as one. <c>auto</c> (default): two over Kafka, one in-process.
    /// </summary>
    public string Stages { get; set; } = "auto";

    public HangfireOptions Hangfire { get; set; } = new();

    /// <summary>The API catalog job's section, bound and validated by <c>AddApiCatalogJob</c>; declared here so strict binding accepts the keys.</summary>
    public Catalog.ApiCatalogJobOptions Catalog { get; set; } = new();

    /// <summary>Bound and validated separately by the admin listener; declared here so strict binding accepts the keys.</summary>
    public AdminOptions Admin { get; set; } = new() { Url = "http://127.0.0.1:9902" };
}
