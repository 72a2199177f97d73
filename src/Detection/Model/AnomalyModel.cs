using Analytics.Detection.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Analytics.Detection.Model;

/// <summary>
/// A loaded anomaly model, scored without ML.NET on the hot path: normalise the window
/// features, subtract the PCA mean, project on the eigenvectors and measure what the projection
/// misses. The per-feature residuals are the explanation. Immutable, so it can be swapped by
/// reference while events flow.
/// </summary>
internal sealed class AnomalyModel
{
    private readonly float[] _mean;      // PCA mean in normalised space
    private readonly float[][] _vectors; // rank × features, orthonormal
    private readonly float[] _normMean;
    private readonly float[] _normStd;
    private readonly int[] _index;       // model feature → index in the window vector

    public AnomalyModel(ModelCard card, float[] pcaMean, float[][] eigenVectors)
    {
        _index = [.. card.Features.Select(name => Array.IndexOf(F.Names, name))];
        if (_index.Any(i => i < 0))
        {
            throw new InvalidDataException($"model '{card.Name}' uses features this analyzer does not compute: {string.Join(", ", card.Features.Where(n => Array.IndexOf(F.Names, n) < 0))}");
        }

        var dims = _index.Length;
        if (pcaMean.Length != dims || eigenVectors.Any(v => v.Length != dims) || card.NormalisationMean.Count != dims || card.NormalisationStd.Count != dims)
        {
            throw new InvalidDataException($"model '{card.Name}' parameters do not match its {dims} features");
        }

        Card = card;
        _mean = pcaMean;
        _vectors = eigenVectors;
        _normMean = [.. card.NormalisationMean];
        _normStd = [.. card.NormalisationStd];
    }

    public ModelCard Card { get; }

    internal float[] MeanForCard => _mean;

    internal float[][] VectorsForCard => _vectors;

    public double Threshold => Card.Threshold;

    /// <summary>The supervised class model shipped with this one, if any.</summary>
    public AttackClassifier? Classifier { get; init; }

    /// <summary>Loads the ML.NET .zip and its model card (same path, .json).</summary>
    public static AnomalyModel Load(string zipPath)
    {
        var cardPath = Path.ChangeExtension(zipPath, ".json");
        var card = System.Text.Json.JsonSerializer.Deserialize(File.ReadAllText(cardPath), ModelJsonContext.Default.ModelCard)
                   ?? throw new InvalidDataException($"{cardPath} is empty");
        var ml = new MLContext(seed: 0);
        ITransformer transformer;
        using (var stream = File.OpenRead(zipPath))
        {
            transformer = ml.Model.Load(stream, out _);
        }

        // A loaded model comes back typed by its interface (AnomalyPredictionTransformer<IPredictorProducing<float>>), so read the parameters through the transformer's Model.
        var last = transformer is TransformerChain<ITransformer> chain ? chain.LastTransformer : transformer;
        var pca = last.GetType().GetProperty("Model")?.GetValue(last) as PcaModelParameters
                  ?? throw new InvalidDataException($"{zipPath} is not a randomized PCA model ({last.GetType().Name})");
        var model = FromParameters(card, pca);
        return card.Classifier is { } file
            ? new AnomalyModel(card, model._mean, model._vectors) { Classifier = AttackClassifier.Load(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(zipPath))!, file), card) }
            : model;
    }

    public static AnomalyModel FromParameters(ModelCard card, PcaModelParameters pca)
    {
        VBuffer<float>[] vectors = [];
        pca.GetEigenVectors(ref vectors, out var rank);
        var mean = default(VBuffer<float>);
        pca.GetMean(ref mean);
        var dense = new float[rank][];
        for (var i = 0; i < rank; i++)
        {
            dense[i] = vectors[i].DenseValues().ToArray();
        }

        return new AnomalyModel(card, mean.Length == 0 ? new float[card.Features.Count] : mean.DenseValues().ToArray(), dense);
    }

    /// <summary>Normalises the model's features of a raw window vector into <paramref name="z"/>: log1p, then standardise with the training statistics.</summary>
    public static void Normalise(ReadOnlySpan<float> raw, ReadOnlySpan<int> index, Span<float> z, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        for (var i = 0; i < index.Length; i++)
        {
            z[i] = (MathF.Log(1 + Math.Max(raw[index[i]], 0)) - mean[i]) / std[i];
        }
    }

    /// <summary>
    /// Squared reconstruction error of a raw window vector; fills <paramref name="residual"/>
    /// (indexed like the window vector, length <see cref="F.Count"/>) with each feature's squared residual.
    /// </summary>
    public float Score(ReadOnlySpan<float> raw, Span<float> residual)
    {
        var dims = _index.Length;
        Span<float> x = stackalloc float[dims];
        Span<float> r = stackalloc float[dims];
        Normalise(raw, _index, x, _normMean, _normStd);
        for (var i = 0; i < dims; i++)
        {
            x[i] -= _mean[i];
        }

        x.CopyTo(r);
        foreach (var v in _vectors)
        {
            var dot = System.Numerics.Tensors.TensorPrimitives.Dot(v, x);
            for (var i = 0; i < dims; i++)
            {
                r[i] -= dot * v[i];
            }
        }

        residual.Clear();
        var total = 0f;
        for (var i = 0; i < dims; i++)
        {
            var sq = r[i] * r[i];
            residual[_index[i]] = sq;
            total += sq;
        }

        return total;
    }
}
