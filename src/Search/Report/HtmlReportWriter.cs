using System.Globalization;
using System.Net;
using System.Text;

namespace Analytics.Search.Report;

/// <summary>Writes a <see cref="ComplianceReport"/> as one self-contained HTML page (inline CSS and SVG, no script, nothing fetched).</summary>
public static class HtmlReportWriter
{
    public static string Write(ComplianceReport r)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title>API security compliance report {r.From:yyyy-MM-dd} to {r.To:yyyy-MM-dd}</title>");
        sb.Append("""
            <style>
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1000px;color:#222;padding:0 1em}
            h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            .meta{color:#666}.kpis{display:flex;gap:1em;flex-wrap:wrap}.kpi{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:10em}
            .kpi b{display:block;font-size:1.6em}table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border-bottom:1px solid #eee;text-align:left;padding:.3em .5em;vertical-align:top}
            th{background:#f6f6f6}.chart text{font-size:12px;fill:#333}.empty{color:#888;font-style:italic}.legend span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 1em}
            </style></head><body>
            """);
        sb.Append(CultureInfo.InvariantCulture, $"<h1>API security compliance report</h1><p class=\"meta\">{r.From:yyyy-MM-dd} to {r.To:yyyy-MM-dd} (UTC) &middot; generated {r.GeneratedAt:yyyy-MM-dd HH:mm} UTC</p>");
        sb.Append("<div class=\"kpis\">");
        Kpi(sb, "requests", r.Requests);
        Kpi(sb, "rejected", r.Rejected);
        Kpi(sb, "authentication failures", r.AuthenticationFailures);
        Kpi(sb, "injection findings", r.InjectionFindings);
        Kpi(sb, "automatic decisions", r.AutomaticDecisions);
        Kpi(sb, "manual decisions", r.ManualDecisions);
        Kpi(sb, "decisions lifted or expired", r.DecisionsRemoved);
        sb.Append("</div>");

        sb.Append("<h2 id=\"traffic\">Traffic and rejections over time</h2><p class=\"legend\"><span style=\"background:#9cc3e6\"></span>requests<span style=\"background:#c0392b\"></span>rejected</p>");
        sb.Append(SvgChart.Daily(r.Daily));
        sb.Append("<h2 id=\"rejections\">Rejections by step</h2>").Append(SvgChart.Bars(r.RejectionsByStep, "#c0392b"));
        sb.Append("<h2 id=\"authentication\">Authentication failures by client</h2>").Append(SvgChart.Bars(r.AuthenticationFailuresByClient, "#d35400"));
        sb.Append("<h2 id=\"blocks\">Decisions by detector and source</h2>");
        sb.Append(CultureInfo.InvariantCulture, $"<p>{r.AutomaticDecisions} automatic, {r.ManualDecisions} manual.</p>").Append(SvgChart.Bars(r.DecisionsBySource, "#8e44ad"));
        sb.Append("<h2 id=\"offenders\">Top offenders (rejected requests)</h2>").Append(SvgChart.Bars(r.TopOffenders, "#c0392b"));
        sb.Append("<h2 id=\"injection\">Injection findings by class</h2>").Append(SvgChart.Bars(r.InjectionByClass, "#16a085"));
        sb.Append("<h2 id=\"alerts\">Alerts by type</h2>").Append(SvgChart.Bars(r.AlertsByType, "#2c3e50"));

        sb.Append("<h2 id=\"decisions\">Decisions made, with their evidence</h2>");
        // The Kibana column only when the documents carry links (Search:KibanaUrl was set when they were indexed).
        var links = r.Decisions.Any(d => IsWebLink(d.Link));
        string[] headers = links
            ? ["time", "action", "entity", "source", "reason", "evidence", "expires", "investigate"]
            : ["time", "action", "entity", "source", "reason", "evidence", "expires"];
        Table(sb, headers, r.Decisions.Select(d =>
        {
            string[] cells = [Time(d.At), d.Action + (d.Simulated ? " (simulated)" : ""), d.Entity, d.Source, d.Reason ?? "", d.Explanation ?? "", d.Expires is { } e ? Time(e) : "never"];
            return links ? [.. cells, d.Link ?? ""] : cells;
        }), linkColumn: links ? headers.Length - 1 : null);

        sb.Append("<h2 id=\"apis\">Shadow and zombie APIs</h2>");
        Table(sb, ["type", "endpoint", "finding", "count", "last seen"], r.ApiFindings.Select(a => new[]
        {
            a.Type, a.Entity, a.Title, a.Count.ToString(CultureInfo.InvariantCulture), Time(a.LastSeen),
        }));
        sb.Append("<p>Traffic to undocumented endpoints:</p>").Append(SvgChart.Bars(r.UndocumentedTraffic, "#7f8c8d"));

        sb.Append("<h2 id=\"audit\">Admin audit trail</h2>");
        Table(sb, ["time", "who", "change", "entity", "reason"], r.AuditTrail.Select(a => new[]
        {
            Time(a.At), a.Who, a.Change, a.Entity, a.Reason ?? "",
        }));
        sb.Append("<p class=\"meta\">Built from the ECS documents of the analytics requests, decisions and alerts streams. Times are UTC.</p></body></html>");
        return sb.ToString();
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static void Kpi(StringBuilder sb, string label, long value) =>
        sb.Append(CultureInfo.InvariantCulture, $"<div class=\"kpi\"><b>{value:N0}</b>{WebUtility.HtmlEncode(label)}</div>");

    /// <summary>Only http(s) URLs become links: a document's value must not be able to inject a javascript: URL.</summary>
    private static bool IsWebLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);

    /// <param name="linkColumn">A column whose cells are URLs, shown as "Kibana" links (empty when the cell is not a web URL).</param>
    private static void Table(StringBuilder sb, string[] headers, IEnumerable<string[]> rows, int? linkColumn = null)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            sb.Append("<p class=\"empty\">None in this period.</p>");
            return;
        }

        sb.Append("<table><thead><tr>");
        foreach (var h in headers)
        {
            sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        }

        sb.Append("</tr></thead><tbody>");
        foreach (var row in list)
        {
            sb.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                sb.Append("<td>");
                if (i == linkColumn)
                {
                    if (IsWebLink(row[i]))
                    {
                        sb.Append("<a href=\"").Append(WebUtility.HtmlEncode(row[i])).Append("\">Kibana</a>");
                    }
                }
                else
                {
                    sb.Append(WebUtility.HtmlEncode(row[i]));
                }

                sb.Append("</td>");
            }

            sb.Append("</tr>");
        }

        sb.Append("</tbody></table>");
    }
}
