using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Inspection.Model;

/// <summary>The model card shipped beside the model: features, data, provenance, threshold and metrics.</summary>
internal sealed class ModelCard
{
    [JsonPropertyName("name")] public string Name { get; set; } = "inspection-model";
    [JsonPropertyName("created")] public DateTimeOffset Created { get; set; }
    [JsonPropertyName("task")] public string Task { get; set; } = "binary classification of HTTP requests (attack / benign), a second opinion beside the inspection rules";
    [JsonPropertyName("trainer")] public string Trainer { get; set; } = "";
    [JsonPropertyName("features")] public string Features { get; set; } = "";
    /// <summary>The hasher's <see cref="NgramHasher.FeatureSet"/> the model was trained with; absent on models before it was recorded.</summary>
    [JsonPropertyName("feature_set")] public string? FeatureSet { get; set; }
    [JsonPropertyName("input_text")] public string InputText { get; set; } = "";
    [JsonPropertyName("training_data")] public List<string> TrainingData { get; set; } = [];
    [JsonPropertyName("split")] public string Split { get; set; } = "";
    [JsonPropertyName("train_rows")] public int TrainRows { get; set; }
    [JsonPropertyName("holdout_rows")] public int HoldoutRows { get; set; }
    [JsonPropertyName("threshold")] public double Threshold { get; set; }
    [JsonPropertyName("threshold_rule")] public string ThresholdRule { get; set; } = "";
    [JsonPropertyName("metrics_holdout")] public Dictionary<string, double> MetricsHoldout { get; set; } = [];
    [JsonPropertyName("command")] public string Command { get; set; } = "";
    [JsonPropertyName("limitations")] public string Limitations { get; set; } = "";

    public static string PathFor(string modelPath) => Path.ChangeExtension(modelPath, ".json");

    public static ModelCard? TryRead(string modelPath)
    {
        var path = PathFor(modelPath);
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), ModelCardJson.Default.ModelCard) : null;
    }

    public void Write(string modelPath) =>
        File.WriteAllText(PathFor(modelPath), JsonSerializer.Serialize(this, ModelCardJson.Default.ModelCard) + "\n");
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ModelCard))]
internal sealed partial class ModelCardJson : JsonSerializerContext;
