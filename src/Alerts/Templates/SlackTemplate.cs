using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Analytics.Alerts.Templates;

/// <summary>The Slack message: Block Kit with the severity and type in the header, then entity, evidence, decision, Kibana link and lift command.</summary>
internal static class SlackTemplate
{
    // Block Kit limits: header text 150 characters, section text 3,000, field text 2,000.
    private const int HeaderMax = 150;
    private const int SectionMax = 3000;
    private const int FieldMax = 2000;

    public static byte[] Render(NotificationView v)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            // The fallback text shows in notifications and where blocks cannot.
            w.WriteString("text", Clip($"{Emoji(v.Severity)} {v.Subject}", SectionMax));
            w.WriteStartArray("blocks");

            Block(w, "header", () => PlainText(w, "text", Clip($"{Emoji(v.Severity)} {v.Headline}", HeaderMax)));

            var intro = new StringBuilder().Append('*').Append(Escape(v.Title)).Append('*');
            if (v.Summary.Length > 0)
            {
                intro.Append('\n').Append(Escape(v.Summary));
            }

            if (v.Change is { } change)
            {
                intro.Append("\n_").Append(Escape(change)).Append('_');
            }

            Block(w, "section", () =>
            {
                Markdown(w, "text", Clip(intro.ToString(), SectionMax));
                w.WriteStartArray("fields");
                foreach (var fact in v.Facts.Take(10))
                {
                    w.WriteStartObject();
                    w.WriteString("type", "mrkdwn");
                    w.WriteString("text", Clip($"*{Escape(fact.Label)}*\n{Escape(fact.Value)}", FieldMax));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });

            if (v.Label is { } label)
            {
                Block(w, "context", () =>
                {
                    w.WriteStartArray("elements");
                    w.WriteStartObject();
                    w.WriteString("type", "mrkdwn");
                    w.WriteString("text", $":warning: *{Escape(label)}*");
                    w.WriteEndObject();
                    w.WriteEndArray();
                });
            }

            if (v.Explanation is not null || v.Evidence.Count > 0)
            {
                var seen = new StringBuilder("*What was seen*");
                if (v.Explanation is { } explanation)
                {
                    seen.Append('\n').Append(Escape(explanation));
                }

                foreach (var line in v.Evidence)
                {
                    seen.Append("\n• ").Append(Escape(line));
                }

                Block(w, "section", () => Markdown(w, "text", Clip(seen.ToString(), SectionMax)));
            }

            if (v.Lines.Count > 0)
            {
                var list = new StringBuilder("*").Append(Escape(v.LinesHeading ?? "")).Append('*');
                foreach (var line in v.Lines)
                {
                    list.Append("\n• ").Append(line.Url is { } url ? $"<{url}|{Escape(line.Text)}>" : Escape(line.Text));
                }

                Block(w, "section", () => Markdown(w, "text", Clip(list.ToString(), SectionMax)));
            }

            if (v.Decision is { } decision)
            {
                Block(w, "section", () => Markdown(w, "text", Clip($"*Decision*\n{Escape(decision)}", SectionMax)));
            }

            if (v.LiftCommand is { } lift)
            {
                Block(w, "section", () => Markdown(w, "text", Clip($"*Lift it*\n`{Escape(lift)}`", SectionMax)));
            }

            if (v.KibanaUrl is { } kibana)
            {
                Block(w, "actions", () =>
                {
                    w.WriteStartArray("elements");
                    w.WriteStartObject();
                    w.WriteString("type", "button");
                    PlainText(w, "text", "Open in Kibana");
                    w.WriteString("url", kibana);
                    w.WriteString("action_id", "open_kibana");
                    w.WriteEndObject();
                    w.WriteEndArray();
                });
            }

            Block(w, "context", () =>
            {
                w.WriteStartArray("elements");
                w.WriteStartObject();
                w.WriteString("type", "mrkdwn");
                w.WriteString("text", $"analytics alerts · {Escape(v.NotificationId)}");
                w.WriteEndObject();
                w.WriteEndArray();
            });

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Block(Utf8JsonWriter w, string type, Action body)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        body();
        w.WriteEndObject();
    }

    private static void PlainText(Utf8JsonWriter w, string name, string text)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "plain_text");
        w.WriteString("text", text);
        w.WriteBoolean("emoji", true);
        w.WriteEndObject();
    }

    private static void Markdown(Utf8JsonWriter w, string name, string text)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "mrkdwn");
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static string Emoji(string severity) => severity switch
    {
        "critical" => ":rotating_light:",
        "high" => ":red_circle:",
        "medium" => ":large_orange_circle:",
        "low" => ":large_yellow_circle:",
        _ => ":information_source:",
    };

    // Slack's mrkdwn reserves &, < and > (links and mentions).
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
