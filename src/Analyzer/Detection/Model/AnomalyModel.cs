using Analytics.Analyzer.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Analytics.Analyzer.Detection.Model;

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

    public AnomalyModel(ModelCard card, float[] pcaMean, float[][] eigenVectors)
    {
        if (card.Features.Count != F.Count || pcaMean.Length != F.Count || eigenVectors.Any(v => v.Length != F.Count))
        {
            throw new InvalidDataException($"model '{card.Name}' has {card.Features.Count} features; this analyzer computes {F.Count}");
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

        var pca = transformer switch
        {
            AnomalyPredictionTransformer<PcaModelParameters> t => t.Model,
            TransformerChain<ITransformer> chain => chain.OfType<AnomalyPredictionTransformer<PcaModelParameters>>().Last().Model,
            _ => throw new InvalidDataException($"{zipPath} is not a randomized PCA model"),
        };
        return FromParameters(card, pca);
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

        return new AnomalyModel(card, mean.Length == 0 ? new float[F.Count] : mean.DenseValues().ToArray(), dense);
    }

    /// <summary>Normalises raw window features into <paramref name="z"/>: log1p, then standardise with the training statistics.</summary>
    public static void Normalise(ReadOnlySpan<float> raw, Span<float> z, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            z[i] = (MathF.Log(1 + Math.Max(raw[i], 0)) - mean[i]) / std[i];
        }
    }

    /// <summary>Squared reconstruction error; fills <paramref name="residual"/> with each feature's squared residual.</summary>
    public float Score(ReadOnlySpan<float> raw, Span<float> residual)
    {
        Span<float> x = stackalloc float[F.Count];
        Normalise(raw, x, _normMean, _normStd);
        for (var i = 0; i < x.Length; i++)
        {
            x[i] -= _mean[i];
        }

        residual.Clear();
        x.CopyTo(residual);
        foreach (var v in _vectors)
        {
            var dot = System.Numerics.Tensors.TensorPrimitives.Dot(v, x);
            for (var i = 0; i < residual.Length; i++)
            {
                residual[i] -= dot * v[i];
            }
        }

        var total = 0f;
        for (var i = 0; i < residual.Length; i++)
        {
            residual[i] *= residual[i];
            total += residual[i];
        }

        return total;
    }
}
