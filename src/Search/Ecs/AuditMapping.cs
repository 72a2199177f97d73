using System.Text.Json;

namespace Analytics.Search.Ecs;

/// <summary>
/// The one place an admin change that does not travel on a stream (an allowlist entry added at
/// run time) becomes an audit document, in the decisions data stream beside the manual decisions.
/// </summary>
public static class AuditMapping
{
    /// <param name="change">What changed, e.g. <c>allowlist-added</c>.</param>
    /// <param name="credential">Which admin credential made it.</param>
    public static EcsDocument ToDocument(string change, string credential, string scope, string value, string? reason, DateTimeOffset at, string @namespace)
    {
        var source = EcsJson.Write((change, credential, scope, value, reason, at, @namespace), static (w, s) =>
        {
            w.WriteStartObject();
            EcsJson.Header(w, s.at, SearchStream.Decisions, s.@namespace);
            w.WriteString("message", $"{s.change} {s.scope}:{s.value} by {s.credential}");
            w.WriteStartObject("event");
            w.WriteString("kind", "event");
            EcsJson.Array(w, "category", "configuration");
            EcsJson.Array(w, "type", "change");
            w.WriteString("action", s.change);
            w.WriteString("outcome", "success");
            EcsJson.StringIfSet(w, "reason", s.reason);
            w.WriteString("dataset", SearchStream.Decisions.Dataset);
            w.WriteString("module", "analytics");
            w.WriteEndObject();
            EcsJson.Entity(w, s.scope, s.value, s.credential);
            w.WriteStartObject("analytics");
            w.WriteStartObject("decision");
            w.WriteString("key", s.scope + ":" + s.value);
            w.WriteString("scope", s.scope);
            w.WriteString("value", s.value);
            w.WriteString("action", "allow");
            w.WriteString("source", "manual");
            w.WriteEndObject();
            w.WriteStartObject("audit");
            w.WriteString("credential", s.credential);
            w.WriteString("change", s.change);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return new EcsDocument(SearchStream.Decisions, "audit:" + change + ":" + scope + ":" + value + ":" + at.ToUnixTimeMilliseconds(), at, source);
    }
}
