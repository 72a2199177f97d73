using System.Text;
using System.Text.Json;

namespace Analytics.Search.Query;

/// <summary>Writes a <see cref="SearchResult"/> as an aligned table, CSV, or JSON (an array of objects keyed by field).</summary>
public static class ResultFormatter
{
    public static string Format(SearchResult result, string format) => format switch
    {
        "json" => Json(result),
        "csv" => Csv(result),
        "table" => Table(result),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "format must be table, json or csv"),
    };

    public static string Json(SearchResult result)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartArray();
            foreach (var row in result.Rows)
            {
                w.WriteStartObject();
                for (var i = 0; i < result.Columns.Count; i++)
                {
                    w.WritePropertyName(result.Columns[i]);
                    WriteValue(w, row[i]);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Csv(SearchResult result)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", result.Columns.Select(CsvCell)));
        foreach (var row in result.Rows)
        {
            sb.AppendLine(string.Join(",", row.Select(v => CsvCell(DocumentSearch.Format(v)))));
        }

        return sb.ToString();
    }

    public static string Table(SearchResult result)
    {
        var cells = result.Rows.Select(r => r.Select(v => Clip(DocumentSearch.Format(v))).ToArray()).ToList();
        var widths = result.Columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine(string.Join("  ", result.Columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            sb.AppendLine(string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
        }

        sb.Append(result.Rows.Count).AppendLine(result.Rows.Count == 1 ? " row" : " rows");
        return sb.ToString();
    }

    private static string Clip(string value) => value.Length <= 60 ? value : value[..57] + "...";

    private static string CsvCell(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case int i:
                w.WriteNumberValue(i);
                break;
            case double d when double.IsFinite(d):
                w.WriteNumberValue(d);
                break;
            case System.Numerics.BigInteger big:
                w.WriteNumberValue((decimal)big);
                break;
            case DateTime or DateTimeOffset:
                w.WriteStringValue(DocumentSearch.Format(value));
                break;
            case System.Collections.IEnumerable list:
                w.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(w, item);
                }

                w.WriteEndArray();
                break;
            default:
                w.WriteStringValue(DocumentSearch.Format(value));
                break;
        }
    }
}
