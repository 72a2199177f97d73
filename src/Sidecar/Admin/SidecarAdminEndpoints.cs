using System.Text.Json.Serialization;
using Analytics.Messaging;
using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Hosting;
using Analytics.Sidecar.Auth;
using Analytics.Sidecar.Enforcement;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.RateLimiting;
using Analytics.Sidecar.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Analytics.Sidecar.Admin;

/// <summary>The sidecar's admin API: decisions (list, add, lift) and counters.</summary>
internal sealed class SidecarAdminEndpoints(DecisionStore store, DecisionFeed feed, DecisionValidator validator, TelemetryMetrics requests, EnforcementMetrics enforcement,
    AuthMetrics auth, RateLimitingMetrics rateLimits, InspectionMetrics inspection, RequestTelemetryWriter telemetry, IStreamTransport transport, TimeProvider time) : IAdminEndpoints
{
    /// <summary>The longest a manual decision may last: longer ones are forgotten, not intended; lift and renew instead.</summary>
    internal static readonly TimeSpan MaxTtl = TimeSpan.FromDays(365);
    private const double MaxRate = 1_000_000;
    private const int MaxTextLength = 512;

    private readonly IStreamProducer<Decision> _decisions = transport.GetProducer(Streams.Decisions);
    private readonly IStreamProducer<RequestEvent> _requests = transport.GetProducer(Streams.Requests);

    public void MapEndpoints(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/decisions", () => TypedResults.Json(store.Active(), SidecarJsonContext.Default.ListDecision));
        admin.MapPost("/decisions", (Delegate)AddAsync).Accepts<DecisionRequest>("application/json").RequireAdminRole(AdminRole.Operator);
        admin.MapDelete("/decisions/{id}", (Delegate)LiftAsync).RequireAdminRole(AdminRole.Operator);
        admin.MapGet("/stats", async () =>
        {
            // Requests are counted by the telemetry loop: let it catch up with those already answered.
            await telemetry.CatchUpAsync(TimeSpan.FromSeconds(2));
            return TypedResults.Json(Stats(), SidecarJsonContext.Default.StatsResponse);
        });
    }

    private async Task<IResult> AddAsync(HttpContext context)
    {
        DecisionRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync(SidecarJsonContext.Default.DecisionRequest, context.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            return Problem(400, "The body is not a decision in JSON.");
        }

        if (request is null)
        {
            return Problem(400, "The body is not a decision in JSON.");
        }

        var now = time.GetUtcNow();
        var errors = new List<string>();
        if (!DecisionScopes.IsKnown(request.Scope ?? ""))
        {
            errors.Add("scope: one of ip, cidr, api_key, subject");
        }
        else if (DecisionStore.NormalizeValue(request.Scope!, request.Value ?? "") is null)
        {
            errors.Add("value: not valid for the scope");
        }

        var action = request.Action ?? DecisionActions.Block;
        if (!DecisionActions.IsKnown(action))
        {
            errors.Add("action: one of block, throttle, allow");
        }

        if (action == DecisionActions.Throttle && request.Rate is not > 0)
        {
            errors.Add("rate: a throttle needs a rate above 0 (requests per second)");
        }

        if (request.Rate is { } rate && (!double.IsFinite(rate) || rate <= 0 || rate > MaxRate))
        {
            errors.Add($"rate: between 0 and {MaxRate:0} requests per second");
        }

        if (request.TtlSeconds is { } ttlSeconds && (!double.IsFinite(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MaxTtl.TotalSeconds))
        {
            errors.Add($"ttl_seconds: must be positive and at most {MaxTtl.TotalSeconds:0} ({MaxTtl.TotalDays:0} days)");
        }

        if (request.Expires is { } e && (e <= now || e > now + MaxTtl))
        {
            errors.Add($"expires: must be in the future and at most {MaxTtl.TotalDays:0} days ahead");
        }

        if (request.TtlSeconds is not null && request.Expires is not null)
        {
            errors.Add("ttl_seconds: give ttl_seconds or expires, not both");
        }

        if (request.Value is { Length: > MaxTextLength })
        {
            errors.Add($"value: at most {MaxTextLength} characters");
        }

        if (request.Reason is { Length: > MaxTextLength })
        {
            errors.Add($"reason: at most {MaxTextLength} characters");
        }

        if (errors.Count > 0)
        {
            return Problem(400, "The decision is not valid.", errors);
        }

        if (request.TtlSeconds is null && request.Expires is null)
        {
            return Problem(400, "The decision is not valid.", ["ttl_seconds: a decision needs ttl_seconds or expires"]);
        }

        // Beyond any MaxManualTtl, and small enough that the expiry is a representable date.
        if (request.TtlSeconds > TimeSpan.FromDays(3650).TotalSeconds)
        {
            return Problem(400, "The decision is not valid.", ["ttl_seconds: longer than Sidecar:Decisions:MaxManualTtl allows"]);
        }

        var decision = new Decision
        {
            Id = Guid.NewGuid().ToString("N"),
            Scope = request.Scope!,
            Value = DecisionStore.NormalizeValue(request.Scope!, request.Value!)!,
            Action = action,
            Rate = request.Rate,
            Reason = string.IsNullOrWhiteSpace(request.Reason) ? "manual" : request.Reason!,
            Source = "manual",
            Simulated = request.Simulated ?? false,
            Created = now,
            Expires = request.TtlSeconds is { } ttl ? now.AddSeconds(ttl) : request.Expires,
            CreatedBy = AdminListener.Principal(context)?.Name,
        };
        AdminListener.AuditChange(context, "decision-created", $"{decision.Action} {decision.Key} ({decision.Id})");

        // The same rules the sidecars apply to the stream, so what is accepted here is enforced there.
        var refusal = validator.Validate(decision, heldAlready: store.HeldBesides(decision.Key), checkSignature: false);
        if (refusal is not null)
        {
            return Problem(400, "The decision is not valid.", [RefusalMessage(refusal)]);
        }

        // Signed with Sidecar:Decisions:SigningKey, so every sidecar that requires signatures takes it.
        decision = validator.Sign(decision);

        // Applied here at once so the answer holds; published so every other sidecar (and a
        // restarted one) enforces it too. The echo from the stream is idempotent.
        store.Apply(decision);
        await _decisions.PublishAsync(decision.Key, decision, context.RequestAborted);
        return TypedResults.Json(decision, MessagesJsonContext.Default.Decision, statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> LiftAsync(string id, HttpContext context, CancellationToken cancellationToken)
    {
        if (store.FindById(id) is not { } decision)
        {
            return Problem(404, "No decision in force has this id.");
        }

        // A lift travels as a tombstone, which has no fields: the audit line is its record.
        AdminListener.AuditChange(context, "decision-lifted", $"{decision.Action} {decision.Key} ({decision.Id})");
        store.RemoveByKey(decision.Key);
        await _decisions.PublishAsync(decision.Key, null, cancellationToken);
        return TypedResults.NoContent();
    }

    private StatsResponse Stats() => new(
        requests.Requests,
        requests.RefusedBy(),
        telemetry.Dropped + _requests.Dropped,
        _requests.Published,
        store.ActiveCount(),
        enforcement.SimulatedMatches,
        feed.CaughtUp,
        enforcement.DecisionsRejected,
        transport.Name,
        AuthOutcomes(),
        rateLimits.ByKind(),
        inspection.ByAction());

    private Dictionary<string, long> AuthOutcomes()
    {
        var outcomes = auth.ByResult();
        outcomes["failed_limit_refusals"] = auth.LimiterRefusals;
        return outcomes;
    }

    private static string RefusalMessage(string refusal) => refusal switch
    {
        DecisionRejections.TtlTooLong => "ttl_seconds: longer than Sidecar:Decisions:MaxManualTtl allows",
        DecisionRejections.TooMany => "decisions: Sidecar:Decisions:MaxActive decisions are already held",
        _ => "decision: " + refusal,
    };

    private static IResult Problem(int status, string detail, IReadOnlyList<string>? errors = null) =>
        TypedResults.Json(
            new ProblemBody("about:blank", status == 404 ? "Not Found" : "Bad Request", status, detail) { Errors = errors },
            ServiceDefaultsJsonContext.Default.ProblemBody,
            "application/problem+json",
            status);
}

/// <summary>A decision as the admin API takes it: the Decision fields an operator sets, with <c>ttl_seconds</c> standing for <c>expires</c>.</summary>
internal sealed record DecisionRequest
{
    [JsonPropertyName("scope")] public string? Scope { get; init; }
    [JsonPropertyName("value")] public string? Value { get; init; }
    [JsonPropertyName("action")] public string? Action { get; init; }
    [JsonPropertyName("rate")] public double? Rate { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("simulated")] public bool? Simulated { get; init; }
    [JsonPropertyName("ttl_seconds")] public double? TtlSeconds { get; init; }
    [JsonPropertyName("expires")] public DateTimeOffset? Expires { get; init; }
}

/// <summary>The body of <c>GET /stats</c>.</summary>
internal sealed record StatsResponse(
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("rejections")] Dictionary<string, long> Rejections,
    [property: JsonPropertyName("dropped_events")] long DroppedEvents,
    [property: JsonPropertyName("published_events")] long PublishedEvents,
    [property: JsonPropertyName("decisions_in_force")] int DecisionsInForce,
    [property: JsonPropertyName("simulated_matches")] long SimulatedMatches,
    [property: JsonPropertyName("decisions_caught_up")] bool DecisionsCaughtUp,
    [property: JsonPropertyName("decisions_rejected")] long DecisionsRejected,
    [property: JsonPropertyName("transport")] string Transport,
    [property: JsonPropertyName("authentication")] Dictionary<string, long> Authentication,
    [property: JsonPropertyName("rate_limit_refusals")] Dictionary<string, long> RateLimitRefusals,
    [property: JsonPropertyName("inspection_verdicts")] Dictionary<string, long> InspectionVerdicts);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DecisionRequest))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(List<Decision>))]
internal sealed partial class SidecarJsonContext : JsonSerializerContext;
