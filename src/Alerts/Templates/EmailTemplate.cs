using System.Net;
using System.Text;

namespace Analytics.Alerts.Templates;

/// <summary>The email: an HTML part and a plain-text part with the same content.</summary>
internal static class EmailTemplate
{
    public static string Subject(NotificationView v) => v.Subject;

    public static string Text(NotificationView v)
    {
        var sb = new StringBuilder();
        sb.Append(v.Headline).Append('\n').Append(v.Title).Append("\n\n");
        if (v.Label is { } label)
        {
            sb.Append("!! ").Append(label).Append("\n\n");
        }

        if (v.Change is { } change)
        {
            sb.Append(change).Append("\n\n");
        }

        if (v.Summary.Length > 0)
        {
            sb.Append(v.Summary).Append("\n\n");
        }

        foreach (var fact in v.Facts)
        {
            sb.Append(fact.Label).Append(": ").Append(fact.Value).Append('\n');
        }

        if (v.Explanation is not null || v.Evidence.Count > 0)
        {
            sb.Append("\nWhat was seen\n");
            if (v.Explanation is { } explanation)
            {
                sb.Append(explanation).Append('\n');
            }

            foreach (var line in v.Evidence)
            {
                sb.Append("  - ").Append(line).Append('\n');
            }
        }

        if (v.Lines.Count > 0)
        {
            sb.Append('\n').Append(v.LinesHeading).Append('\n');
            foreach (var line in v.Lines)
            {
                sb.Append("  - ").Append(line.Text);
                if (line.Url is { } url)
                {
                    sb.Append("\n    ").Append(url);
                }

                sb.Append('\n');
            }
        }

        if (v.Decision is { } decision)
        {
            sb.Append("\nDecision\n").Append(decision).Append('\n');
        }

        if (v.LiftCommand is { } lift)
        {
            sb.Append("\nLift it\n  ").Append(lift).Append('\n');
        }

        if (v.KibanaUrl is { } kibana)
        {
            sb.Append("\nOpen in Kibana\n  ").Append(kibana).Append('\n');
        }

        sb.Append("\n-- \nanalytics alerts · ").Append(v.NotificationId).Append('\n');
        return sb.ToString();
    }

    public static string Html(NotificationView v)
    {
        var color = v.Severity switch
        {
            "critical" => "#7f1d1d",
            "high" => "#b91c1c",
            "medium" => "#c2410c",
            "low" => "#a16207",
            _ => "#1d4ed8",
        };
        var sb = new StringBuilder(4096);
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(v.Subject)).Append("</title></head>")
          .Append("<body style=\"margin:0;padding:24px;background:#f3f4f6;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#111827\">")
          .Append("<table role=\"presentation\" width=\"640\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#ffffff;border-radius:8px;overflow:hidden;border:1px solid #e5e7eb\">")
          .Append("<tr><td style=\"background:").Append(color).Append(";color:#ffffff;padding:14px 20px;font-size:13px;font-weight:600;letter-spacing:.04em\">")
          .Append(E(v.Headline)).Append("</td></tr>")
          .Append("<tr><td style=\"padding:20px\">")
          .Append("<h1 style=\"margin:0 0 8px;font-size:20px\">").Append(E(v.Title)).Append("</h1>");
        if (v.Label is { } label)
        {
            sb.Append("<p style=\"margin:8px 0;padding:8px 12px;background:#fef3c7;border-left:4px solid #d97706;font-weight:600\">").Append(E(label)).Append("</p>");
        }

        if (v.Change is { } change)
        {
            sb.Append("<p style=\"margin:8px 0;font-style:italic\">").Append(E(change)).Append("</p>");
        }

        if (v.Summary.Length > 0)
        {
            sb.Append("<p style=\"margin:8px 0 16px\">").Append(E(v.Summary)).Append("</p>");
        }

        sb.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" style=\"width:100%;border-collapse:collapse;font-size:14px\">");
        foreach (var fact in v.Facts)
        {
            sb.Append("<tr><td style=\"padding:4px 12px 4px 0;color:#6b7280;width:120px\">").Append(E(fact.Label))
              .Append("</td><td style=\"padding:4px 0;font-family:Menlo,Consolas,monospace\">").Append(E(fact.Value)).Append("</td></tr>");
        }

        sb.Append("</table>");
        if (v.Explanation is not null || v.Evidence.Count > 0)
        {
            sb.Append("<h2 style=\"font-size:15px;margin:20px 0 6px\">What was seen</h2>");
            if (v.Explanation is { } explanation)
            {
                sb.Append("<p style=\"margin:0 0 6px\">").Append(E(explanation)).Append("</p>");
            }

            List(sb, v.Evidence.Select(e => (e, (string?)null)));
        }

        if (v.Lines.Count > 0)
        {
            sb.Append("<h2 style=\"font-size:15px;margin:20px 0 6px\">").Append(E(v.LinesHeading ?? "")).Append("</h2>");
            List(sb, v.Lines.Select(l => (l.Text, l.Url)));
        }

        if (v.Decision is { } decision)
        {
            sb.Append("<h2 style=\"font-size:15px;margin:20px 0 6px\">Decision</h2><p style=\"margin:0\">").Append(E(decision)).Append("</p>");
        }

        if (v.LiftCommand is { } lift)
        {
            sb.Append("<h2 style=\"font-size:15px;margin:20px 0 6px\">Lift it</h2>")
              .Append("<pre style=\"margin:0;padding:10px;background:#111827;color:#f9fafb;border-radius:6px;white-space:pre-wrap;font-size:12px\">").Append(E(lift)).Append("</pre>");
        }

        if (v.KibanaUrl is { } kibana)
        {
            sb.Append("<p style=\"margin:20px 0 0\"><a href=\"").Append(E(kibana))
              .Append("\" style=\"display:inline-block;padding:10px 16px;background:#005eb8;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:600\">Open in Kibana</a></p>");
        }

        sb.Append("</td></tr><tr><td style=\"padding:12px 20px;border-top:1px solid #e5e7eb;color:#9ca3af;font-size:12px\">analytics alerts · ")
          .Append(E(v.NotificationId)).Append("</td></tr></table></body></html>");
        return sb.ToString();
    }

    private static void List(StringBuilder sb, IEnumerable<(string Text, string? Url)> items)
    {
        sb.Append("<ul style=\"margin:0;padding-left:20px;font-size:14px\">");
        foreach (var (text, url) in items)
        {
            sb.Append("<li style=\"margin:2px 0\">");
            if (url is not null)
            {
                sb.Append("<a href=\"").Append(E(url)).Append("\">").Append(E(text)).Append("</a>");
            }
            else
            {
                sb.Append(E(text));
            }

            sb.Append("</li>");
        }

        sb.Append("</ul>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
