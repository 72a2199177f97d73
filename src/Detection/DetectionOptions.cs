using Analytics.Detection.Decisions;
using Analytics.Detection.Features;
using Analytics.Detection.Model;
using Analytics.Detection.Rules;

namespace Analytics.Detection;

/// <summary>What the detection pipeline needs: features, rules, the model and decisions (the analyzer's service options add hosting on top).</summary>
public class DetectionOptions
{
    public FeatureOptions Features { get; set; } = new();

    public RulesOptions Rules { get; set; } = new();

    public ModelOptions Model { get; set; } = new();

    public DecisionOptions Decisions { get; set; } = new();
}
