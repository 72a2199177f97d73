using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Analytics.Analyzer.Cli;

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
        return sb.ToString();
    }

    private static string Row(string name, ClassMetrics m) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {m.Entities} | {m.Detected} | {m.Precision:0.000} | {m.Recall:0.000} | {m.Fpr:0.0000} | {(m.MedianTimeToDetectSeconds is { } t ? t.ToString("0.0", CultureInfo.InvariantCulture) : "-")} |");

    public static string Json(EvaluationResult r)
    {
        var classes = new JsonObject();
        foreach (var (name, m) in r.Classes)
        {
            classes[name] = Node(m);
        }

        var root = new JsonObject { ["overall"] = Node(r.Overall), ["classes"] = classes };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Node(ClassMetrics m) => new()
    {
        ["precision"] = m.Precision,
        ["recall"] = m.Recall,
        ["fpr"] = m.Fpr,
        ["median_time_to_detect_s"] = m.MedianTimeToDetectSeconds,
    };
}
