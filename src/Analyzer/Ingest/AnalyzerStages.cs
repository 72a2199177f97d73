using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Analyzer.Ingest;

/// <summary>
/// How the work is split when the analyzer scales out. The requests stream is keyed by client IP,
/// so only client-IP windows are complete in whichever instance reads a partition; every other
/// entity is re-keyed into <see cref="Streams.RequestsByEntity"/> and judged by the instance that
/// owns that key's partition.
/// </summary>
internal sealed class AnalyzerStages
{
    public AnalyzerStages(AnalyzerOptions options, IStreamTransport transport, AnalyzerPipeline entityPipeline)
    {
        TwoStages = options.Stages == "two" || (options.Stages == "auto" && transport.Name == "kafka");
        EntityPipeline = entityPipeline;
        // Re-key only what some detector judges: every other copy would be read for nothing.
        RekeyedScopes = entityPipeline.JudgedScopes & ~(1 << (int)EntityScope.Ip);
    }

    public bool TwoStages { get; }

    /// <summary>The second stage's pipeline, with its own windows and decisions.</summary>
    public AnalyzerPipeline EntityPipeline { get; }

    /// <summary>What the first stage judges itself.</summary>
    public int FirstStageScopes => TwoStages ? 1 << (int)EntityScope.Ip : FeatureStore.AllScopes;

    /// <summary>Scopes re-keyed into the second stage.</summary>
    public int RekeyedScopes { get; }
}
