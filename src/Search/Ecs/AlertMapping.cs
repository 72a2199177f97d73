using System.Text.Json;
using Analytics.Messaging;

namespace Analytics.Search.Ecs;

/// <summary>The one place an <see cref="Alert"/> becomes an ECS document (<c>event.kind</c> <c>alert</c>).</summary>
public static class AlertMapping
{
    public static EcsDocument ToDocument(Alert a, string @namespace)
    {
        var source = EcsJson.Write((a, @namespace), static (w, s) => Write(w, s.a, s.@namespace));
        // The same alert id may be re-sent as its count grows; each version is its own document.
        var id = (string.IsNullOrEmpty(a.Id) ? a.DedupKey : a.Id) + ":" + a.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new EcsDocument(SearchStream.Alerts, id, a.LastSeen, source);
    }

    private static void Write(Utf8JsonWriter w, Alert a, string ns)
    {
        w.WriteStartObject();
        EcsJson.Header(w, a.LastSeen, SearchStream.Alerts, ns);
        EcsJson.StringIfSet(w, "message", a.Summary);
        w.WriteStartObject("event");
        EcsJson.StringIfSet(w, "id", a.Id);
        w.WriteString("kind", "alert");
        EcsJson.Array(w, "category", "intrusion_detection");
        EcsJson.Array(w, "type", "info");
        w.WriteString("action", a.Type);
        w.WriteNumber("severity", AlertSeverities.Rank(a.Severity));
        w.WriteString("start", EcsJson.Timestamp(a.FirstSeen));
        w.WriteString("end", EcsJson.Timestamp(a.LastSeen));
        w.WriteString("dataset", SearchStream.Alerts.Dataset);
        w.WriteString("module", "analytics");
        // The Kibana link the analyzer put on the alert (Search:KibanaUrl), as on decisions.
        EcsJson.StringIfSet(w, "url", a.Links.GetValueOrDefault(KibanaLinks.LinkName));
        w.WriteEndObject();

        var colon = a.Entity.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            EcsJson.Entity(w, a.Entity[..colon], a.Entity[(colon + 1)..]);
        }

        w.WriteStartObject("rule");
        EcsJson.Array(w, "id", a.Type);
        EcsJson.Array(w, "category", a.Type);
        w.WriteString("ruleset", "analyzer");
        w.WriteEndObject();

        EcsJson.Trace(w, a.Evidence?.TraceId);
        w.WriteStartObject("analytics");
        w.WriteStartObject("alert");
        w.WriteString("type", a.Type);
        w.WriteString("severity", a.Severity);
        w.WriteString("entity", a.Entity);
        w.WriteString("dedup_key", a.DedupKey);
        w.WriteString("title", a.Title);
        EcsJson.StringIfSet(w, "decision_id", a.DecisionId);
        w.WriteNumber("count", a.Count);
        w.WriteBoolean("simulated", a.Simulated);
        w.WriteEndObject();
        EcsJson.Evidence(w, a.Evidence);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
