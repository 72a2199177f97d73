using System.Text.Json;

namespace Analytics.Messaging;

/// <summary>
/// A one-pass reader for RequestEvent JSON (and the generator's <c>label</c>,
/// <c>attack_class</c>, <c>actor</c>) on the analyzer's hot paths: files (<c>evaluate</c>,
/// <c>replay</c>) and the requests stream (<see cref="MessageSchema.Deserialize"/>). The source-generated
/// deserializer treats the record's init-only properties as constructor arguments, which
/// boxes every value and copies its read stack per nested object: it was two thirds of
/// <c>evaluate</c>'s time. This reader accepts only the contract's exact shape (every
/// property with its expected token type); anything else (an unexpected type, escapes it
/// does not expect, a new nested field) returns false and the caller uses the contract's own
/// deserializer, so the result is always what <see cref="MessagesJsonContext"/> would give
/// (a test compares the two on generated events).
/// </summary>
internal static class RequestEventReader
{
    private static readonly RequestEvent Defaults = new();

    public static bool TryRead(ReadOnlySpan<byte> json, out RequestEvent? e, out string? label, out string? attackClass, out string? actor)
    {
        e = null;
        label = attackClass = actor = null;
        try
        {
            return Read(json, out e, out label, out attackClass, out actor);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Malformed or unexpected: the contract's deserializer decides (and reports) instead.
            return false;
        }
    }

    private static bool Read(ReadOnlySpan<byte> json, out RequestEvent? e, out string? label, out string? attackClass, out string? actor)
    {
        e = null;
        label = attackClass = actor = null;
        var r = new Utf8JsonReader(json);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var d = Defaults;
        int v = d.V, status = d.Status;
        var ts = d.Timestamp;
        string requestId = d.RequestId, instance = d.Instance, service = d.Service, clientIp = d.ClientIp, method = d.Method, path = d.Path, rejectedBy = d.RejectedBy;
        string? traceId = d.TraceId, routeId = d.RouteId, pathTemplate = d.PathTemplate, userAgent = d.UserAgent, catalog = d.Catalog, decisionId = d.DecisionId, loginHash = d.LoginHash;
        long bytesIn = d.BytesIn, bytesOut = d.BytesOut;
        double durationMs = d.DurationMs;
        double? upstreamMs = d.UpstreamMs;
        var principal = d.Principal;
        var auth = d.Auth;
        var rateLimit = d.RateLimit;
        var inspection = d.Inspection;

        while (r.Read())
        {
            if (r.TokenType == JsonTokenType.EndObject)
            {
                if (r.Read())
                {
                    return false;
                }

                e = new RequestEvent
                {
                    V = v, Timestamp = ts, RequestId = requestId, TraceId = traceId, Instance = instance, Service = service, ClientIp = clientIp,
                    Principal = principal, Method = method, RouteId = routeId, PathTemplate = pathTemplate, Path = path, Status = status,
                    BytesIn = bytesIn, BytesOut = bytesOut, DurationMs = durationMs, UpstreamMs = upstreamMs, UserAgent = userAgent, Auth = auth,
                    RateLimit = rateLimit, Inspection = inspection, Catalog = catalog, DecisionId = decisionId, LoginHash = loginHash, RejectedBy = rejectedBy,
                };
                return true;
            }

            if (r.TokenType != JsonTokenType.PropertyName || r.ValueIsEscaped)
            {
                return false;
            }

            var name = r.ValueSpan;
            if (!r.Read())
            {
                return false;
            }

            switch (name.Length)
            {
                case 1 when name[0] == (byte)'v' && r.TokenType == JsonTokenType.Number:
                    v = r.GetInt32();
                    break;
                case 2 when name.SequenceEqual("ts"u8) && r.TokenType == JsonTokenType.String:
                    ts = r.GetDateTimeOffset();
                    break;
                default:
                    if (!Property(ref r, name, ref requestId, ref traceId, ref instance, ref service, ref clientIp, ref principal, ref method, ref routeId,
                        ref pathTemplate, ref path, ref status, ref bytesIn, ref bytesOut, ref durationMs, ref upstreamMs, ref userAgent, ref auth,
                        ref rateLimit, ref inspection, ref catalog, ref decisionId, ref loginHash, ref rejectedBy, ref label, ref attackClass, ref actor))
                    {
                        return false;
                    }

                    break;
            }
        }

        return false;
    }

    private static bool Property(
        ref Utf8JsonReader r, ReadOnlySpan<byte> name, ref string requestId, ref string? traceId, ref string instance, ref string service,
        ref string clientIp, ref PrincipalInfo principal, ref string method, ref string? routeId, ref string? pathTemplate, ref string path,
        ref int status, ref long bytesIn, ref long bytesOut, ref double durationMs, ref double? upstreamMs, ref string? userAgent,
        ref AuthInfo auth, ref RateLimitInfo rateLimit, ref InspectionInfo? inspection, ref string? catalog, ref string? decisionId,
        ref string? loginHash, ref string rejectedBy, ref string? label, ref string? attackClass, ref string? actor)
    {
        if (name.SequenceEqual("request_id"u8)) { return Required(ref r, ref requestId, unique: true); }
        if (name.SequenceEqual("trace_id"u8)) { return Optional(ref r, ref traceId, unique: true); }
        if (name.SequenceEqual("instance"u8)) { return Required(ref r, ref instance); }
        if (name.SequenceEqual("service"u8)) { return Required(ref r, ref service); }
        if (name.SequenceEqual("client_ip"u8)) { return Required(ref r, ref clientIp); }
        if (name.SequenceEqual("method"u8)) { return Required(ref r, ref method); }
        if (name.SequenceEqual("route_id"u8)) { return Optional(ref r, ref routeId); }
        if (name.SequenceEqual("path_template"u8)) { return Optional(ref r, ref pathTemplate); }
        if (name.SequenceEqual("path"u8)) { return Required(ref r, ref path, unique: true); }
        if (name.SequenceEqual("user_agent"u8)) { return Optional(ref r, ref userAgent); }
        if (name.SequenceEqual("catalog"u8)) { return Optional(ref r, ref catalog); }
        if (name.SequenceEqual("decision_id"u8)) { return Optional(ref r, ref decisionId, unique: true); }
        if (name.SequenceEqual("login_hash"u8)) { return Optional(ref r, ref loginHash); }
        if (name.SequenceEqual("rejected_by"u8)) { return Required(ref r, ref rejectedBy); }
        if (name.SequenceEqual("label"u8)) { return Optional(ref r, ref label); }
        if (name.SequenceEqual("attack_class"u8)) { return Optional(ref r, ref attackClass); }
        if (name.SequenceEqual("actor"u8)) { return Optional(ref r, ref actor); }
        if (name.SequenceEqual("status"u8)) { return r.TokenType == JsonTokenType.Number && r.TryGetInt32(out status); }
        if (name.SequenceEqual("bytes_in"u8)) { return r.TokenType == JsonTokenType.Number && r.TryGetInt64(out bytesIn); }
        if (name.SequenceEqual("bytes_out"u8)) { return r.TokenType == JsonTokenType.Number && r.TryGetInt64(out bytesOut); }
        if (name.SequenceEqual("duration_ms"u8)) { return r.TokenType == JsonTokenType.Number && r.TryGetDouble(out durationMs); }
        if (name.SequenceEqual("upstream_ms"u8))
        {
            if (r.TokenType == JsonTokenType.Null)
            {
                upstreamMs = null;
                return true;
            }

            if (r.TokenType != JsonTokenType.Number || !r.TryGetDouble(out var ms))
            {
                return false;
            }

            upstreamMs = ms;
            return true;
        }

        if (name.SequenceEqual("principal"u8)) { return Pair(ref r, "kind"u8, "id"u8, out var kind, out var id) && Principal(kind, id, out principal); }
        if (name.SequenceEqual("auth"u8)) { return Pair(ref r, "outcome"u8, "reason"u8, out var outcome, out var reason) && Auth(outcome, reason, out auth); }
        if (name.SequenceEqual("rate_limit"u8)) { return Pair(ref r, "outcome"u8, "policy"u8, out var outcome, out var policy) && RateLimit(outcome, policy, out rateLimit); }
        if (name.SequenceEqual("inspection"u8)) { return Inspection(ref r, out inspection); }

        // A property the contract does not know: skipped, as the deserializer does.
        r.Skip();
        return true;
    }

    // unique: a value that differs on every event (ids, paths), not worth remembering.
    private static bool Required(ref Utf8JsonReader r, ref string value, bool unique = false)
    {
        if (r.TokenType != JsonTokenType.String)
        {
            return false;
        }

        value = Text(ref r, unique);
        return true;
    }

    private static bool Optional(ref Utf8JsonReader r, ref string? value, bool unique = false)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            value = null;
            return true;
        }

        if (r.TokenType != JsonTokenType.String)
        {
            return false;
        }

        value = Text(ref r, unique);
        return true;
    }

    /// <summary>
    /// The string value; the contract's frequent constants are returned as the constants themselves
    /// (no allocation), and other repeated values come from this thread's <see cref="Utf8StringCache"/>.
    /// </summary>
    private static string Text(ref Utf8JsonReader r, bool unique = false)
    {
        if (!r.ValueIsEscaped)
        {
            var s = r.ValueSpan;
            switch (s.Length)
            {
                case 3 when s.SequenceEqual("GET"u8): return "GET";
                case 4 when s.SequenceEqual("POST"u8): return "POST";
                case 4 when s.SequenceEqual("none"u8): return RejectionReasons.None;
                case 6 when s.SequenceEqual("benign"u8): return "benign";
                case 6 when s.SequenceEqual("attack"u8): return "attack";
                case 7 when s.SequenceEqual("allowed"u8): return "allowed";
                case 7 when s.SequenceEqual("success"u8): return AuthOutcomes.Success;
                case 7 when s.SequenceEqual("failure"u8): return AuthOutcomes.Failure;
                case 9 when s.SequenceEqual("anonymous"u8): return AuthOutcomes.Anonymous;
                case 10 when s.SequenceEqual("documented"u8): return "documented";
            }

            if (!unique && Utf8StringCache.Current.Get(s) is { } known)
            {
                return known;
            }
        }

        return r.GetString()!;
    }

    /// <summary>A flat object of two string-or-null properties (principal, auth, rate limit).</summary>
    private static bool Pair(ref Utf8JsonReader r, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, out string? a, out string? b)
    {
        a = b = null;
        var seenFirst = false;
        if (r.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (r.Read() && r.TokenType != JsonTokenType.EndObject)
        {
            if (r.TokenType != JsonTokenType.PropertyName || r.ValueIsEscaped)
            {
                return false;
            }

            var isFirst = r.ValueSpan.SequenceEqual(first);
            var isSecond = !isFirst && r.ValueSpan.SequenceEqual(second);
            if (!r.Read())
            {
                return false;
            }

            if (!isFirst && !isSecond)
            {
                r.Skip();
                continue;
            }

            string? value = null;
            if (!Optional(ref r, ref value))
            {
                return false;
            }

            if (isFirst)
            {
                a = value;
                seenFirst = true;
            }
            else
            {
                b = value;
            }
        }

        // The records' first parameter is not nullable: an object without it is the deserializer's call.
        return seenFirst && a is not null && r.TokenType == JsonTokenType.EndObject;
    }

    private static bool Principal(string? kind, string? id, out PrincipalInfo principal)
    {
        principal = kind == PrincipalKinds.Anonymous && id is null ? PrincipalInfo.Anonymous : new PrincipalInfo(kind!, id);
        return true;
    }

    private static bool Auth(string? outcome, string? reason, out AuthInfo auth)
    {
        auth = reason is null
            ? outcome switch
            {
                AuthOutcomes.Anonymous => AuthInfo.AnonymousAccess,
                AuthOutcomes.Success => AuthInfo.Succeeded,
                AuthOutcomes.NotEvaluated => AuthInfo.NotEvaluated,
                _ => new AuthInfo(outcome!, null),
            }
            : new AuthInfo(outcome!, reason);
        return true;
    }

    private static bool RateLimit(string? outcome, string? policy, out RateLimitInfo rateLimit)
    {
        rateLimit = policy is null && outcome == RateLimitInfo.NoPolicy.Outcome ? RateLimitInfo.NoPolicy
            : policy is null && outcome == RateLimitInfo.NotEvaluated.Outcome ? RateLimitInfo.NotEvaluated
            : new RateLimitInfo(outcome!, policy);
        return true;
    }

    private static bool Inspection(ref Utf8JsonReader r, out InspectionInfo? inspection)
    {
        inspection = null;
        if (r.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (r.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var d = new InspectionInfo();
        int score = d.Score;
        string action = d.Action;
        IReadOnlyList<string> rules = d.Rules, categories = d.Categories;
        var truncated = d.Truncated;
        while (r.Read() && r.TokenType != JsonTokenType.EndObject)
        {
            if (r.TokenType != JsonTokenType.PropertyName || r.ValueIsEscaped)
            {
                return false;
            }

            var name = r.ValueSpan;
            if (!r.Read())
            {
                return false;
            }

            var ok = name.SequenceEqual("score"u8) ? r.TokenType == JsonTokenType.Number && r.TryGetInt32(out score)
                : name.SequenceEqual("action"u8) ? Required(ref r, ref action)
                : name.SequenceEqual("rules"u8) ? Strings(ref r, out rules)
                : name.SequenceEqual("categories"u8) ? Strings(ref r, out categories)
                : name.SequenceEqual("truncated"u8) ? r.TokenType is JsonTokenType.True or JsonTokenType.False && Bool(ref r, out truncated)
                : Skip(ref r);
            if (!ok)
            {
                return false;
            }
        }

        inspection = new InspectionInfo { Score = score, Action = action, Rules = rules, Categories = categories, Truncated = truncated };
        return r.TokenType == JsonTokenType.EndObject;
    }

    private static bool Bool(ref Utf8JsonReader r, out bool value)
    {
        value = r.GetBoolean();
        return true;
    }

    private static bool Skip(ref Utf8JsonReader r)
    {
        r.Skip();
        return true;
    }

    private static bool Strings(ref Utf8JsonReader r, out IReadOnlyList<string> values)
    {
        values = [];
        if (r.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var list = new List<string>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.String)
            {
                return false;
            }

            list.Add(r.GetString()!);
        }

        values = list;
        return r.TokenType == JsonTokenType.EndArray;
    }
}
