using System.Text.Json;
using Analytics.Messaging;

namespace Analytics.Search.Ecs;

/// <summary>
/// The one place a message of the decisions stream becomes an ECS document. A manual decision
/// (made through an admin API) is also the audit record of that change: <c>event.category</c>
/// <c>configuration</c> and <c>user.name</c> naming the admin credential. A tombstone (a decision
/// lifted or expired) becomes a deletion record of its key.
/// </summary>
public static class DecisionMapping
{
    /// <summary>The credential name recorded for admin changes while there is one admin token.</summary>
    public const string DefaultAdminCredential = "admin";

    /// <param name="kibanaUrl">
    /// <c>Search:KibanaUrl</c>; when set the document carries <c>event.url</c>, Discover on the
    /// decision's entity around its evidence window (the link its alert carries). It lives in the
    /// document only: the signed decision message has no field for it.
    /// </param>
    public static EcsDocument ToDocument(string key, Decision? decision, DateTimeOffset messageTime, string @namespace, string adminCredential = DefaultAdminCredential, string? kibanaUrl = null)
    {
        if (decision is null)
        {
            var at = messageTime;
            var lifted = EcsJson.Write((key, at, @namespace), static (w, s) => WriteRemoval(w, s.key, s.at, s.@namespace));
            // Deterministic, so a redelivered tombstone is the same document.
            return new EcsDocument(SearchStream.Decisions, "removed:" + key + ":" + at.ToUnixTimeMilliseconds(), at, lifted);
        }

        // The decision names its credential when the admin API that made it did (created_by).
        var link = Link(decision, kibanaUrl);
        var source = EcsJson.Write((decision, @namespace, adminCredential: decision.CreatedBy ?? adminCredential, link), static (w, s) => Write(w, s.decision, s.@namespace, s.adminCredential, s.link));
        var id = string.IsNullOrEmpty(decision.Id) ? "decision:" + decision.Key + ":" + decision.Created.ToUnixTimeMilliseconds() : decision.Id;
        return new EcsDocument(SearchStream.Decisions, id, decision.Created, source);
    }

    public static bool IsManual(Decision d) => d.Source == "manual";

    /// <summary>The decision's Kibana link: its entity from its evidence window (or its creation) on, as <see cref="KibanaLinks"/> pads it.</summary>
    public static string? Link(Decision d, string? kibanaUrl)
    {
        var start = d.Evidence?.WindowStart is { } ws && ws < d.Created ? ws : d.Created;
        var end = d.Evidence?.WindowEnd is { } we && we > d.Created ? we : d.Created;
        return KibanaLinks.ForWindow(kibanaUrl, d.Key, start, end);
    }

    private static void Write(Utf8JsonWriter w, Decision d, string ns, string credential, string? link)
    {
        var manual = IsManual(d);
        w.WriteStartObject();
        EcsJson.Header(w, d.Created, SearchStream.Decisions, ns);
        w.WriteString("message", $"{d.Action} {d.Scope}:{d.Value} by {d.Source}: {d.Reason}");
        w.WriteStartObject("event");
        EcsJson.StringIfSet(w, "id", d.Id);
        w.WriteString("kind", "event");
        EcsJson.Array(w, "category", manual ? "configuration" : "intrusion_detection");
        EcsJson.Array(w, "type", manual ? "creation" : d.Action == DecisionActions.Allow ? "allowed" : "denied");
        w.WriteString("action", "decision-" + d.Action);
        w.WriteString("outcome", "success");
        EcsJson.StringIfSet(w, "reason", d.Reason);
        if (d.Score is { } score && double.IsFinite(score))
        {
            w.WriteNumber("risk_score", score);
        }

        w.WriteString("start", EcsJson.Timestamp(d.Created));
        if (d.Expires is { } expires)
        {
            w.WriteString("end", EcsJson.Timestamp(expires));
        }

        w.WriteString("dataset", SearchStream.Decisions.Dataset);
        w.WriteString("module", "analytics");
        EcsJson.StringIfSet(w, "url", link);
        w.WriteEndObject();

        EcsJson.Entity(w, d.Scope, d.Value, manual ? credential : null);

        var colon = d.Source.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            w.WriteStartObject("rule");
            EcsJson.Array(w, "id", d.Source[(colon + 1)..]);
            w.WriteString("ruleset", d.Source[..colon]);
            w.WriteEndObject();
        }

        EcsJson.Trace(w, d.Evidence?.TraceId);
        w.WriteStartObject("analytics");
        w.WriteStartObject("decision");
        EcsJson.StringIfSet(w, "id", d.Id);
        w.WriteString("key", d.Key);
        w.WriteString("scope", d.Scope);
        w.WriteString("value", d.Value);
        w.WriteString("action", d.Action);
        if (d.Rate is { } rate && double.IsFinite(rate))
        {
            w.WriteNumber("rate", rate);
        }

        w.WriteString("source", d.Source);
        w.WriteBoolean("simulated", d.Simulated);
        if (d.Expires is { } e)
        {
            w.WriteString("expires", EcsJson.Timestamp(e));
        }

        w.WriteEndObject();
        EcsJson.Evidence(w, d.Evidence);
        if (manual)
        {
            w.WriteStartObject("audit");
            w.WriteString("credential", credential);
            w.WriteString("change", "decision-added");
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteRemoval(Utf8JsonWriter w, string key, DateTimeOffset at, string ns)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var (scope, value) = colon > 0 ? (key[..colon], key[(colon + 1)..]) : ("", key);
        w.WriteStartObject();
        EcsJson.Header(w, at, SearchStream.Decisions, ns);
        w.WriteString("message", $"decision on {key} removed (lifted or expired)");
        w.WriteStartObject("event");
        w.WriteString("kind", "event");
        EcsJson.Array(w, "category", "configuration");
        EcsJson.Array(w, "type", "deletion");
        w.WriteString("action", "decision-removed");
        w.WriteString("outcome", "success");
        w.WriteString("dataset", SearchStream.Decisions.Dataset);
        w.WriteString("module", "analytics");
        w.WriteEndObject();
        EcsJson.Entity(w, scope, value);
        w.WriteStartObject("analytics");
        w.WriteStartObject("decision");
        w.WriteString("key", key);
        w.WriteString("scope", scope);
        w.WriteString("value", value);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
