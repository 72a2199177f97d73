using System.Text.Json.Serialization;

namespace Analytics.Detection.Model;

/// <summary>What a shipped model is: its features and their normalisation, training data and provenance, threshold and evaluation.</summary>
internal sealed record ModelCard
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("kind")] public string Kind { get; init; } = "randomized_pca_anomaly";
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    [JsonPropertyName("features")] public IReadOnlyList<string> Features { get; init; } = [];
    /// <summary>Per-feature mean and standard deviation of log1p(value) over the training windows.</summary>
    [JsonPropertyName("normalisation_mean")] public IReadOnlyList<float> NormalisationMean { get; init; } = [];
    [JsonPropertyName("normalisation_std")] public IReadOnlyList<float> NormalisationStd { get; init; } = [];
    [JsonPropertyName("rank")] public int Rank { get; init; }
    /// <summary>Squared reconstruction error above which a window is anomalous.</summary>
    [JsonPropertyName("threshold")] public double Threshold { get; init; }
    [JsonPropertyName("threshold_method")] public string ThresholdMethod { get; init; } = "";
    [JsonPropertyName("min_requests")] public int MinRequests { get; init; }
    [JsonPropertyName("training")] public TrainingInfo Training { get; init; } = new();
    [JsonPropertyName("evaluation")] public IReadOnlyDictionary<string, double> Evaluation { get; init; } = new Dictionary<string, double>();
    /// <summary>The supervised class model next to this one (<c>NAME.classes.zip</c>), when labelled attacks were available.</summary>
    [JsonPropertyName("classifier")] public string? Classifier { get; init; }
    [JsonPropertyName("classifier_classes")] public IReadOnlyList<string> ClassifierClasses { get; init; } = [];
}

/// <summary>Where a model's training data came from.</summary>
internal sealed record TrainingInfo
{
    [JsonPropertyName("inputs")] public IReadOnlyList<TrainingInput> Inputs { get; init; } = [];
    [JsonPropertyName("windows")] public int Windows { get; init; }
    [JsonPropertyName("held_out_windows")] public int HeldOutWindows { get; init; }
    [JsonPropertyName("entities")] public int Entities { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("command")] public string Command { get; init; } = "";
    [JsonPropertyName("note")] public string? Note { get; init; }
}

/// <summary>One training file and its SHA-256.</summary>
internal sealed record TrainingInput(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("events")] long Events);

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelCard))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
