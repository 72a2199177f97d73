using System.Text.Json.Serialization;

namespace Analytics.Sidecar.Inspection.Cli;

/// <summary>Counts for recall, false-positive rate and precision, per attack class and overall.</summary>
internal sealed class Evaluation
{
    private readonly SortedDictionary<string, Tally> _classes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Tally> _sources = new(StringComparer.Ordinal);
    private readonly Tally _overall = new();

    public void Add(ReplayRecord record, bool flagged)
    {
        _overall.Add(record.IsAttack, flagged);
        var cls = record.IsAttack ? record.AttackClass ?? "unknown" : "benign";
        Get(_classes, cls).Add(record.IsAttack, flagged);
        Get(_sources, record.Source).Add(record.IsAttack, flagged);
    }

    private static Tally Get(SortedDictionary<string, Tally> map, string key)
    {
        if (!map.TryGetValue(key, out var t))
        {
            t = new Tally();
            map[key] = t;
        }

        return t;
    }

    public EvaluationReport Report() => new()
    {
        Overall = _overall.Metrics(),
        Classes = _classes.ToDictionary(kv => kv.Key, kv => kv.Value.Metrics()),
        Sources = _sources.ToDictionary(kv => kv.Key, kv => kv.Value.Metrics()),
    };

    private sealed class Tally
    {
        public int Attacks;
        public int Detected;
        public int Benign;
        public int FalsePositives;

        public void Add(bool attack, bool flagged)
        {
            if (attack)
            {
                Attacks++;
                Detected += flagged ? 1 : 0;
            }
            else
            {
                Benign++;
                FalsePositives += flagged ? 1 : 0;
            }
        }

        public Metrics Metrics() => new()
        {
            Attacks = Attacks,
            Benign = Benign,
            Detected = Detected,
            FalsePositives = FalsePositives,
            Recall = Attacks == 0 ? null : Math.Round((double)Detected / Attacks, 4),
            Fpr = Benign == 0 ? null : Math.Round((double)FalsePositives / Benign, 4),
            Precision = Detected + FalsePositives == 0 ? null : Math.Round((double)Detected / (Detected + FalsePositives), 4),
        };
    }
}

/// <summary>Recall, FPR and precision with the counts behind them.</summary>
internal sealed class Metrics
{
    [JsonPropertyName("precision")] public double? Precision { get; init; }
    [JsonPropertyName("recall")] public double? Recall { get; init; }
    [JsonPropertyName("fpr")] public double? Fpr { get; init; }
    [JsonPropertyName("attacks")] public int Attacks { get; init; }
    [JsonPropertyName("detected")] public int Detected { get; init; }
    [JsonPropertyName("benign")] public int Benign { get; init; }
    [JsonPropertyName("false_positives")] public int FalsePositives { get; init; }
}

/// <summary>The <c>--report</c> file: overall, per attack class (benign requests under <c>benign</c>) and per source.</summary>
internal sealed class EvaluationReport
{
    [JsonPropertyName("overall")] public Metrics Overall { get; init; } = new();
    [JsonPropertyName("classes")] public Dictionary<string, Metrics> Classes { get; init; } = [];
    [JsonPropertyName("sources")] public Dictionary<string, Metrics> Sources { get; init; } = [];
    [JsonPropertyName("threshold")] public int Threshold { get; set; }
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("rules_only")] public EvaluationReport? RulesOnly { get; set; }
}

/// <summary>One line of the <c>--verdicts</c> file.</summary>
internal sealed class VerdictLine
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("score")] public int Score { get; init; }
    [JsonPropertyName("action")] public string Action { get; init; } = "allow";
    [JsonPropertyName("rules")] public string[] Rules { get; init; } = [];
    [JsonPropertyName("model_probability")] public double? ModelProbability { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EvaluationReport))]
[JsonSerializable(typeof(VerdictLine))]
internal sealed partial class EvaluationJson : JsonSerializerContext;
