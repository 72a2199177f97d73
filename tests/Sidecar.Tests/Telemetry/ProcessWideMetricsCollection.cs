namespace Analytics.Sidecar.Tests.Telemetry;

/// <summary>
/// Tests that read values from the /metrics scrape run alone: OpenTelemetry subscribes to meters by
/// name across the whole process, so sidecars started by tests running in parallel add to (and, when
/// they stop, drop from) the same series.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetricsCollection
{
    public const string Name = "process-wide metrics";
}
