using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Analytics.Detection.Evaluation;

/// <summary>Formats an evaluation as a console table and as the REPORT.json contract.</summary>
internal static class EvaluationReport
{
    public static string Table(EvaluationResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"| class | entities | detected | precision | recall | FPR | median time to detect (s) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, m) in r.Classes)
        {
            sb.AppendLine(Row(name, m));
        }

        sb.AppendLine(Row("**overall**", r.Overall));
        sb.AppendLine(CultureInfo.InvariantCulture, $"benign entities: {r.BenignEntities}, flagged: {r.Overall.FalsePositives}; events: {r.Events}");
        if (r.Variants.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| attack variant | entities | detected | recall | median / max time to detect (s) |");
            sb.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var (name, m) in r.Variants)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {m.Entities} | {m.Detected} | {m.Recall:0.000} | {Seconds(m.MedianTimeToDetectSeconds)} / {Seconds(m.MaxTimeToDetectSeconds)} |");
            }
        }

        if (r.BenignPopulations.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| benign population | entities | flagged |");
            sb.AppendLine("|---|---:|---:|");
            foreach (var (name, (entities, flagged)) in r.BenignPopulations)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {entities} | {flagged} |");
            }
        }

        if (r.Ranges.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| range | decided | attackers inside | benign inside | types |");
            sb.AppendLine("|---|---|---:|---:|---|");
            foreach (var range in r.Ranges)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {range.Range} | {(range.Decided ? "yes" : "alert only")} | {range.Attackers} | {range.Benign} | {range.Types} |");
            }

            sb.AppendLine(CultureInfo.InvariantCulture, $"collateral: {r.Collateral} benign addresses inside decided ranges");
        }

        return sb.ToString();
    }

    private static string Seconds(double? s) => s is { } t ? t.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Row(string name, ClassMetrics m) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {m.Entities} | {m.Detected} | {m.Precision:0.000} | {m.Recall:0.000} | {m.Fpr:0.0000} | {Seconds(m.MedianTimeToDetectSeconds)} |");

    public static string Json(EvaluationResult r)
    {
        var classes = new JsonObject();
        foreach (var (name, m) in r.Classes)
        {
            classes[name] = Node(m);
        }

        var variants = new JsonObject();
        foreach (var (name, m) in r.Variants)
        {
            variants[name] = Node(m);
        }

        var ranges = new JsonArray();
        foreach (var range in r.Ranges)
        {
            ranges.Add(new JsonObject
            {
                ["range"] = range.Range,
                ["decided"] = range.Decided,
                ["attackers"] = range.Attackers,
                ["benign"] = range.Benign,
                ["types"] = range.Types,
            });
        }

        var root = new JsonObject
        {
            ["overall"] = Node(r.Overall),
            ["classes"] = classes,
            ["variants"] = variants,
            ["ranges"] = ranges,
            ["collateral"] = r.Collateral,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Node(ClassMetrics m) => new()
    {
        ["precision"] = m.Precision,
        ["recall"] = m.Recall,
        ["fpr"] = m.Fpr,
        ["median_time_to_detect_s"] = m.MedianTimeToDetectSeconds,
        ["max_time_to_detect_s"] = m.MaxTimeToDetectSeconds,
    };
}
