using System.Text.Json;
using Analytics.Messaging;

namespace Analytics.Search.Ecs;

/// <summary>The one place a <see cref="RequestEvent"/> becomes an ECS document.</summary>
public static class RequestEventMapping
{
    public static EcsDocument ToDocument(RequestEvent e, string @namespace)
    {
        var source = EcsJson.Write((e, @namespace), static (w, s) => Write(w, s.e, s.@namespace));
        var id = string.IsNullOrEmpty(e.RequestId) ? Guid.CreateVersion7(e.Timestamp).ToString() : e.RequestId;
        return new EcsDocument(SearchStream.Requests, id, e.Timestamp, source);
    }

    /// <summary>success when the request was forwarded and answered below 400; failure otherwise.</summary>
    public static string Outcome(RequestEvent e) =>
        e.RejectedBy == RejectionReasons.None && e.Status is > 0 and < 400 ? "success" : "failure";

    private static void Write(Utf8JsonWriter w, RequestEvent e, string ns)
    {
        var rejected = e.RejectedBy != RejectionReasons.None;
        var authEvaluated = e.Auth.Outcome is AuthOutcomes.Success or AuthOutcomes.Failure or AuthOutcomes.Forbidden;
        var findings = e.Inspection is { Rules.Count: > 0 };

        w.WriteStartObject();
        EcsJson.Header(w, e.Timestamp, SearchStream.Requests, ns);

        w.WriteStartObject("event");
        EcsJson.StringIfSet(w, "id", e.RequestId);
        w.WriteString("kind", "event");
        w.WriteStartArray("category");
        w.WriteStringValue("web");
        if (authEvaluated)
        {
            w.WriteStringValue("authentication");
        }

        if (findings)
        {
            w.WriteStringValue("intrusion_detection");
        }

        w.WriteEndArray();
        w.WriteStartArray("type");
        w.WriteStringValue("access");
        if (rejected)
        {
            w.WriteStringValue("denied");
        }
        else if (e.Status is > 0 and < 400)
        {
            w.WriteStringValue("allowed");
        }

        w.WriteEndArray();
        w.WriteString("outcome", Outcome(e));
        w.WriteString("action", rejected ? "rejected-" + e.RejectedBy : "forwarded");
        w.WriteNumber("duration", EcsJson.Nanoseconds(e.DurationMs));
        w.WriteString("dataset", SearchStream.Requests.Dataset);
        w.WriteString("module", "analytics");
        w.WriteEndObject();

        if (!string.IsNullOrEmpty(e.ClientIp))
        {
            w.WriteStartObject("source");
            w.WriteString("ip", e.ClientIp);
            w.WriteEndObject();
        }

        if (!string.IsNullOrEmpty(e.Principal.Id))
        {
            w.WriteStartObject("user");
            w.WriteString("id", e.Principal.Id);
            w.WriteEndObject();
        }

        w.WriteStartObject("http");
        w.WriteStartObject("request");
        w.WriteString("method", e.Method);
        w.WriteNumber("bytes", e.BytesIn);
        w.WriteEndObject();
        w.WriteStartObject("response");
        w.WriteNumber("status_code", e.Status);
        w.WriteNumber("bytes", e.BytesOut);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("url");
        w.WriteString("path", e.Path);
        w.WriteEndObject();

        if (!string.IsNullOrEmpty(e.UserAgent))
        {
            w.WriteStartObject("user_agent");
            w.WriteString("original", e.UserAgent);
            w.WriteEndObject();
        }

        EcsJson.Trace(w, e.TraceId);

        if (!string.IsNullOrEmpty(e.Service))
        {
            w.WriteStartObject("service");
            w.WriteString("name", e.Service);
            w.WriteEndObject();
        }

        if (findings)
        {
            w.WriteStartObject("rule");
            EcsJson.Array(w, "id", e.Inspection!.Rules);
            EcsJson.Array(w, "category", e.Inspection.Categories);
            w.WriteString("ruleset", "inspection");
            w.WriteEndObject();
        }

        w.WriteStartObject("analytics");
        EcsJson.StringIfSet(w, "instance", e.Instance);
        w.WriteStartObject("principal");
        w.WriteString("kind", e.Principal.Kind);
        w.WriteEndObject();
        if (e.RouteId is not null || e.PathTemplate is not null)
        {
            w.WriteStartObject("route");
            EcsJson.StringIfSet(w, "id", e.RouteId);
            EcsJson.StringIfSet(w, "template", e.PathTemplate);
            w.WriteEndObject();
        }

        w.WriteStartObject("auth");
        w.WriteString("outcome", e.Auth.Outcome);
        EcsJson.StringIfSet(w, "reason", e.Auth.Reason);
        w.WriteEndObject();
        w.WriteStartObject("rate_limit");
        w.WriteString("outcome", e.RateLimit.Outcome);
        EcsJson.StringIfSet(w, "policy", e.RateLimit.Policy);
        w.WriteEndObject();
        if (e.Inspection is { } i)
        {
            w.WriteStartObject("inspection");
            w.WriteNumber("score", i.Score);
            w.WriteString("action", i.Action);
            w.WriteBoolean("truncated", i.Truncated);
            w.WriteEndObject();
        }

        if (e.UpstreamMs is { } upstream)
        {
            w.WriteStartObject("upstream");
            w.WriteNumber("duration", EcsJson.Nanoseconds(upstream));
            w.WriteEndObject();
        }

        EcsJson.StringIfSet(w, "catalog", e.Catalog);
        EcsJson.StringIfSet(w, "decision_id", e.DecisionId);
        EcsJson.StringIfSet(w, "login_hash", e.LoginHash);
        w.WriteString("rejected_by", e.RejectedBy);
        w.WriteEndObject();

        w.WriteEndObject();
    }
}
