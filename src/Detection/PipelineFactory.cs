
using Analytics.Detection.Decisions;
using Analytics.Detection.Features;
using Analytics.Detection.Model;

namespace Analytics.Detection;

/// <summary>Builds a pipeline outside a host (CLI, tests, benchmarks).</summary>
internal static class PipelineFactory
{
    public static AnalyzerPipeline Create(DetectionOptions options, ModelHolder? model, TimeProvider time, bool rules = true)
    {
        var detectors = rules ? DetectorFactory.CreateRules(options.Rules) : [];
        if (model is not null && options.Model.Enabled)
        {
            detectors.Add(new AnomalyDetector(model, options.Model));
        }

        return new AnalyzerPipeline(
            new FeatureStore(options.Features),
            detectors,
            new DecisionEngine(options.Decisions, new Allowlist(options.Decisions.Allowlist, time), time));
    }
}
