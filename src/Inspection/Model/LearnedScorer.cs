using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Analytics.Inspection.Model;

/// <summary>
/// The learned second opinion: a logistic-regression model trained with ML.NET over hashed
/// character n-grams. The ML.NET model file is the artefact; at load its weights are copied
/// into an array so scoring is a few thousand array reads, thread-safe and allocation-free
/// (a PredictionEngine is neither).
/// </summary>
internal sealed class LearnedScorer
{
    private readonly float[] _weights;
    private readonly float _bias;
    private readonly double _slope;
    private readonly double _offset;

    public LearnedScorer(float[] weights, float bias, double slope, double offset, double threshold)
    {
        _weights = weights;
        _bias = bias;
        _slope = slope;
        _offset = offset;
        Threshold = threshold;
    }

    /// <summary>The probability at or above which the model speaks (from the model card).</summary>
    public double Threshold { get; }

    /// <summary>The sum of the weights of the text's n-grams, and their count.</summary>
    public (double Sum, int Count) Accumulate(ReadOnlySpan<char> text)
    {
        var summer = new WeightSum { Weights = _weights };
        var n = NgramHasher.Visit(text, ref summer);
        return (summer.Sum, n);
    }

    private struct WeightSum : INgramVisitor
    {
        public float[] Weights;
        public double Sum;

        public void Visit(int bucket) => Sum += Weights[bucket];
    }

    /// <summary>As <see cref="Accumulate"/> of <c>ModelInput.Compose(key, value)</c>, without composing it.</summary>
    public (double Sum, int Count) AccumulateUnit(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        var summer = new WeightSum { Weights = _weights };
        var n = NgramHasher.VisitUnit(key, value, ref summer);
        return (summer.Sum, n);
    }

    /// <summary>The linear margin for n-grams whose weights sum to <paramref name="sum"/> (features are counts / sqrt(n-gram count)).</summary>
    public double Margin(double sum, int count) => _bias + (count == 0 ? 0 : sum / Math.Sqrt(count + NgramHasher.PriorCount));

    /// <summary>Platt calibration as ML.NET's PlattCalibrator applies it: p = 1 / (1 + exp(slope * margin + offset)).</summary>
    public double Calibrate(double margin) => 1.0 / (1.0 + Math.Exp(_slope * margin + _offset));

    /// <summary>A request's probability from its unit texts, as <see cref="ModelRequestScore"/> sums them in the proxy; null when there are none.</summary>
    public double? Probability(IReadOnlyList<string> units)
    {
        double sum = 0;
        var count = 0;
        foreach (var u in units)
        {
            var (s, n) = Accumulate(u);
            sum += s;
            count += n;
        }

        return count == 0 ? null : Calibrate(Margin(sum, count));
    }

    public static LearnedScorer Load(string path, double threshold)
    {
        // Weights only mean something for the features they were trained on; the card beside the model says which.
        var card = ModelCard.TryRead(path);
        if (card is not null && card.FeatureSet != NgramHasher.FeatureSet)
        {
            throw new InvalidDataException($"The inspection model was trained on features '{card.FeatureSet ?? "before feature sets were recorded"}'; this build computes '{NgramHasher.FeatureSet}'. Train it again (inspect train).");
        }

        var ml = new MLContext(seed: 1);
        using var stream = File.OpenRead(path);
        var transformer = ml.Model.Load(stream, out _);
        return FromTransformer(transformer, threshold);
    }

    internal static LearnedScorer FromTransformer(ITransformer transformer, double threshold)
    {
        var parameters = transformer switch
        {
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> t => t.Model,
            TransformerChain<ITransformer> chain when chain.LastTransformer is ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> t => t.Model,
            _ => throw new InvalidDataException($"The inspection model is a {transformer.GetType().Name}, not a calibrated linear binary model."),
        };

        var linear = parameters.SubModel;
        var weights = new float[NgramHasher.Dimension];
        var w = linear.Weights;
        if (w.Count != NgramHasher.Dimension)
        {
            throw new InvalidDataException($"The inspection model has {w.Count} features; this build hashes into {NgramHasher.Dimension}.");
        }

        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = w[i];
        }

        return new LearnedScorer(weights, linear.Bias, parameters.Calibrator.Slope, parameters.Calibrator.Offset, threshold);
    }
}
