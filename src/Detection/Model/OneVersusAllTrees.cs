using System.Collections;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace Analytics.Detection.Model;

/// <summary>
/// The class model's one-versus-all FastTree ensembles read out of the ML.NET model and evaluated
/// in place, with ML.NET's own arithmetic (tree sums in double, the Platt calibrator, probabilities
/// normalised to sum to one, the first maximum wins). ML.NET's scorer runs a <c>Parallel.For</c>
/// over the classes on every call, waking thread-pool workers for microseconds of work.
/// </summary>
internal sealed class OneVersusAllTrees
{
    private readonly ClassTrees[] _classes;
    private readonly string[] _labels;

    private OneVersusAllTrees(ClassTrees[] classes, string[] labels)
    {
        _classes = classes;
        _labels = labels;
    }

    /// <summary>The class names, in the model's score order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Reads the ensembles from a loaded class model; null when the model is not the one-versus-all FastTree shape this evaluates exactly.</summary>
    public static OneVersusAllTrees? TryRead(ITransformer model, DataViewSchema inputSchema)
    {
        if (model is not IEnumerable<ITransformer> chain
            || chain.OfType<IPredictionTransformer<object>>().Select(p => p.Model).OfType<OneVersusAllModelParameters>().FirstOrDefault() is not { } ova)
        {
            return null;
        }

        // ML.NET 5 keeps the sub-models internal (no public accessor); the package version is pinned and
        // OneVersusAllTreesTests compares every score with ML.NET's, so a change here cannot go unnoticed.
        var property = typeof(OneVersusAllModelParameters).GetProperty("SubModelParameters", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        if (property?.GetValue(ova) is not IEnumerable subModels)
        {
            return null;
        }

        var classes = new List<ClassTrees>();
        foreach (var sub in subModels)
        {
            if (sub is not CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> calibrated
                || ClassTrees.TryRead(calibrated) is not { } trees)
            {
                return null;
            }

            classes.Add(trees);
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        var score = model.GetOutputSchema(inputSchema).GetColumnOrNull("Score");
        if (score is null || !score.Value.HasSlotNames())
        {
            return null;
        }

        score.Value.GetSlotNames(ref names);
        var labels = names.DenseValues().Select(n => n.ToString()).ToArray();
        return labels.Length == classes.Count && classes.Count > 0 ? new OneVersusAllTrees([.. classes], labels) : null;
    }

    /// <summary>The predicted class and the highest normalised probability, as ML.NET's <c>PredictedLabel</c> and <c>Score.Max()</c>.</summary>
    public (string Class, float Score) Classify(ReadOnlySpan<float> features)
    {
        Span<float> probability = stackalloc float[_classes.Length];
        for (var c = 0; c < _classes.Length; c++)
        {
            probability[c] = _classes[c].Probability(features);
        }

        // OneVersusAllModelParameters.ImplDist.NormalizeSumToOne: negatives clamp to 0, NaN is skipped.
        double sum = 0;
        for (var c = 0; c < probability.Length; c++)
        {
            var value = probability[c];
            if (float.IsNaN(value))
            {
                continue;
            }

            if (value >= 0)
            {
                sum += value;
            }
            else
            {
                probability[c] = 0;
            }
        }

        if (sum > 0)
        {
            for (var c = 0; c < probability.Length; c++)
            {
                probability[c] = (float)(probability[c] / sum);
            }
        }

        // The scorer's arg-max: the first strictly greater value; all NaN leaves no label.
        var best = -1;
        var max = float.NegativeInfinity;
        for (var c = 0; c < probability.Length; c++)
        {
            if (probability[c] > max)
            {
                best = c;
                max = probability[c];
            }
        }

        return best < 0 ? ("unknown", float.NaN) : (_labels[best], max);
    }

    /// <summary>One class's ensemble, flattened into arrays, and its calibrator.</summary>
    private sealed class ClassTrees(Tree[] trees, PlattCalibrator calibrator)
    {
        public static ClassTrees? TryRead(CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> model)
        {
            var trees = new List<Tree>();
            foreach (var tree in model.SubModel.TrainedTreeEnsemble.Trees)
            {
                // Categorical splits and single-leaf trees take other branches in ML.NET; leave those models to it.
                if (tree.NumberOfLeaves < 2 || tree.CategoricalSplitFlags.Any(f => f))
                {
                    return null;
                }

                trees.Add(new Tree([.. tree.LeftChild], [.. tree.RightChild], [.. tree.NumericalSplitFeatureIndexes], [.. tree.NumericalSplitThresholds], [.. tree.LeafValues]));
            }

            return trees.Count == 0 ? null : new ClassTrees([.. trees], model.Calibrator);
        }

        public float Probability(ReadOnlySpan<float> features)
        {
            // InternalTreeEnsemble.GetOutput sums leaf values in double (no bias, no tree weights); the model casts to float.
            double output = 0;
            foreach (var tree in trees)
            {
                output += tree.Output(features);
            }

            return calibrator.PredictProbability((float)output);
        }
    }

    /// <summary>A regression tree: node n sends x[feature] ≤ threshold to its left child; a negative child ~k is leaf k.</summary>
    private sealed class Tree(int[] left, int[] right, int[] feature, float[] threshold, double[] leaf)
    {
        public double Output(ReadOnlySpan<float> x)
        {
            var node = 0;
            while (node >= 0)
            {
                node = x[feature[node]] <= threshold[node] ? left[node] : right[node];
            }

            return leaf[~node];
        }
    }
}
