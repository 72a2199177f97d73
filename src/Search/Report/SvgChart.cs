using System.Globalization;
using System.Net;
using System.Text;

namespace Analytics.Search.Report;

/// <summary>Small inline SVG charts, so the report is one self-contained file with no script.</summary>
internal static class SvgChart
{
    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Horizontal bars, one per label, longest first as given.</summary>
    public static string Bars(IReadOnlyList<Count> counts, string color = "#3b6ea5")
    {
        if (counts.Count == 0)
        {
            return "<p class=\"empty\">None in this period.</p>";
        }

        const int rowHeight = 22, labelWidth = 220, barWidth = 420;
        var max = Math.Max(1, counts.Max(c => c.Value));
        var height = counts.Count * rowHeight + 4;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" width=\"{labelWidth + barWidth + 80}\" height=\"{height}\" viewBox=\"0 0 {labelWidth + barWidth + 80} {height}\">");
        for (var i = 0; i < counts.Count; i++)
        {
            var y = i * rowHeight + 2;
            var w = Math.Max(1, counts[i].Value * (double)barWidth / max);
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{Text(counts[i].Label, 34)}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{N(w)}\" height=\"{rowHeight - 6}\" fill=\"{color}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(labelWidth + w + 6)}\" y=\"{y + 15}\">{counts[i].Value}</text>");
        }

        return sb.Append("</svg>").ToString();
    }

    /// <summary>Requests per day as bars with the rejected part drawn over them.</summary>
    public static string Daily(IReadOnlyList<DailyTraffic> days)
    {
        if (days.Count == 0)
        {
            return "<p class=\"empty\">No requests in this period.</p>";
        }

        const int height = 220, left = 60, bottom = 30, top = 10;
        var slot = Math.Max(8, Math.Min(40, 720 / days.Count));
        var width = left + slot * days.Count + 20;
        var max = Math.Max(1, days.Max(d => d.Requests));
        var plot = height - bottom - top;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + plot}\" x2=\"{width - 10}\" y2=\"{top + plot}\" stroke=\"#888\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{top + 10}\" text-anchor=\"end\">{max}</text><text x=\"{left - 6}\" y=\"{top + plot}\" text-anchor=\"end\">0</text>");
        for (var i = 0; i < days.Count; i++)
        {
            var d = days[i];
            var x = left + i * slot + 2;
            var h = d.Requests * (double)plot / max;
            var r = d.Rejected * (double)plot / max;
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{N(top + plot - h)}\" width=\"{slot - 4}\" height=\"{N(h)}\" fill=\"#9cc3e6\"><title>{d.Day:yyyy-MM-dd}: {d.Requests} requests, {d.Rejected} rejected</title></rect>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{N(top + plot - r)}\" width=\"{slot - 4}\" height=\"{N(r)}\" fill=\"#c0392b\"/>");
            if (days.Count <= 16 || i % Math.Max(1, days.Count / 10) == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{height - 10}\">{d.Day:MM-dd}</text>");
            }
        }

        return sb.Append("</svg>").ToString();
    }

    private static string Text(string value, int max) =>
        WebUtility.HtmlEncode(value.Length <= max ? value : value[..(max - 1)] + "…");
}
