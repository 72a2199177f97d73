using System.Text;
using System.Text.Json;

namespace Analytics.Alerts.Tests.Support;

/// <summary>Every string in a Slack payload, joined by newlines (JSON escapes undone), to search what people read.</summary>
internal static class SlackText
{
    public static string Of(ReceivedRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        var sb = new StringBuilder();
        Collect(json.RootElement, sb);
        return sb.ToString();
    }

    private static void Collect(JsonElement e, StringBuilder sb)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                sb.Append(e.GetString()).Append('\n');
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    Collect(p.Value, sb);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    Collect(item, sb);
                }

                break;
        }
    }
}
