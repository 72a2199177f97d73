using Analytics.Detection;
using Analytics.Detection.Features;
using Analytics.Messaging;

namespace Analytics.Detection.Decisions;

/// <summary>
/// Turns detector hits into decisions and alerts: allowlist first, then one active decision
/// per entity and detector, escalating TTLs for repeat offenders, a cap on new decisions per
/// minute, and simulation. Not thread-safe: owned by the pipeline.
/// </summary>
internal sealed class DecisionEngine
{
    private readonly DecisionOptions _options;
    private readonly Allowlist _allowlist;
    private readonly TimeProvider _time;
    // Keyed by (alert type, scope, value) so the hot-path check allocates nothing.
    private readonly Dictionary<(string Type, EntityScope Scope, string Value), long> _activeUntil = [];
    // Entities with any alert in force: one lookup per entity and event instead of one per detector.
    // Per scope, so a lookup hashes the bare key with the ordinal comparer (a tuple key would hash it with randomized Marvin, once per scope and event).
    private readonly HashSet<string>[] _hot = [.. Enumerable.Range(0, EntityScopes.Count).Select(_ => new HashSet<string>(StringComparer.Ordinal))];
    private int _hotCount;
    private readonly Dictionary<string, (int Count, long LastTicks)> _offences = new(StringComparer.Ordinal);
    // One decision in force per entity: a second detector on an already-blocked entity adds an alert, not a decision.
    private readonly Dictionary<string, (string Id, long UntilTicks)> _inForce = new(StringComparer.Ordinal);
    private long _capMinute;
    private int _capCount;
    private long _lastPrune;

    public DecisionEngine(DecisionOptions options, Allowlist allowlist, TimeProvider time)
    {
        _options = options;
        _allowlist = allowlist;
        _time = time;
        Ranges = new RangeGuard(options.Ranges, allowlist);
    }

    public Allowlist Allowlist => _allowlist;

    /// <summary>The guardrails every range decision passes.</summary>
    public RangeGuard Ranges { get; }

    /// <summary>Range detections that stayed alerts because a guardrail refused the decision.</summary>
    public long RangesRefused { get; private set; }

    public long Suppressed { get; private set; }

    public long Capped { get; private set; }

    public AnalyzerOutcome? Handle(DetectorHit hit, long eventTicks)
    {
        var scope = EntityScopes.Name(hit.Scope);
        if (!EntityScopes.IsAlertOnly(hit.Scope) && _allowlist.Contains(scope, hit.Value))
        {
            Suppressed++;
            return null;
        }

        if (IsActive(hit.AlertType, hit.Scope, hit.Value, eventTicks))
        {
            return null;
        }

        var dedupKey = $"{hit.AlertType}:{scope}:{hit.Value}";

        PruneOccasionally(eventTicks);
        var entityKey = Decision.DecisionKey(scope, hit.Value);
        var offences = 1;
        if (_offences.TryGetValue(entityKey, out var o) && eventTicks - o.LastTicks < _options.RepeatWindow.Ticks)
        {
            offences = o.Count + 1;
        }

        _offences[entityKey] = (offences, eventTicks);
        var ttl = TimeSpan.FromTicks((long)Math.Min(
            hit.Rule.Ttl.Ticks * Math.Pow(_options.EscalationFactor, offences - 1),
            _options.MaxTtl.Ticks));
        _activeUntil[(hit.AlertType, hit.Scope, hit.Value)] = eventTicks + ttl.Ticks;
        AddHot(hit.Scope, hit.Value);

        var now = _time.GetUtcNow();
        Decision? decision = null;
        var capped = false;
        var alertOnly = hit.AlertOnly || hit.Rule.Action == "alert" || EntityScopes.IsAlertOnly(hit.Scope);
        string? refusal = null;
        if (hit.Scope == EntityScope.Prefix)
        {
            refusal = Ranges.Refusal(hit.Value, out var census);
            hit = WithCensus(hit, census);
            if (refusal is not null && !alertOnly)
            {
                alertOnly = true;
                RangesRefused++;
            }
        }

        string? existingId = null;
        if (!alertOnly && _inForce.TryGetValue(entityKey, out var current) && current.UntilTicks > eventTicks)
        {
            existingId = current.Id;
            alertOnly = true;
        }

        if (!alertOnly)
        {
            var minute = eventTicks / TimeSpan.TicksPerMinute;
            if (minute != _capMinute)
            {
                _capMinute = minute;
                _capCount = 0;
            }

            if (_capCount < _options.MaxDecisionsPerMinute)
            {
                _capCount++;
                var throttle = hit.Rule.Action == DecisionActions.Throttle;
                decision = new Decision
                {
                    Id = Guid.CreateVersion7(now).ToString(),
                    Scope = scope,
                    Value = hit.Value,
                    Action = throttle ? DecisionActions.Throttle : DecisionActions.Block,
                    Rate = throttle ? _options.ThrottleRate : null,
                    Reason = offences > 1 ? $"{hit.Title} (offence {offences})" : hit.Title,
                    Source = hit.Source,
                    Score = hit.Score,
                    Evidence = hit.Evidence,
                    Simulated = hit.Rule.Simulate,
                    Created = now,
                    Expires = now + ttl,
                };
                _inForce[entityKey] = (decision.Id, eventTicks + ttl.Ticks);
            }
            else
            {
                capped = true;
                Capped++;
            }
        }

        var summary = hit.Evidence.Explanation ?? hit.Title;
        if (refusal is not null)
        {
            summary += $" No range decision: {refusal}.";
        }
        else if (capped)
        {
            summary += $" No decision: the cap of {_options.MaxDecisionsPerMinute} new decisions per minute was reached.";
        }
        else if (existingId is not null)
        {
            summary += $" A decision on {scope} {hit.Value} is already in force.";
        }
        else if (decision is not null)
        {
            summary += $" Decision: {decision.Action} {scope} {hit.Value} for {ttl.TotalMinutes:0} min{(decision.Simulated ? " (simulated)" : "")}.";
        }

        var alert = new Alert
        {
            Id = Guid.CreateVersion7(now).ToString(),
            DedupKey = dedupKey,
            Type = hit.AlertType,
            Severity = hit.Rule.Severity,
            Entity = entityKey,
            Title = hit.Title,
            Summary = summary,
            Evidence = hit.Evidence,
            DecisionId = decision?.Id ?? existingId,
            FirstSeen = hit.Evidence.WindowStart ?? new DateTimeOffset(eventTicks, TimeSpan.Zero),
            LastSeen = new DateTimeOffset(eventTicks, TimeSpan.Zero),
            Simulated = hit.Rule.Simulate,
        };
        return new AnalyzerOutcome(decision, alert, hit.Detector);
    }

    /// <summary>Adds what the range holds to the evidence: the collateral a range decision would cause.</summary>
    private static DetectorHit WithCensus(DetectorHit hit, RangeCensus? census)
    {
        if (census is not { } c)
        {
            return hit;
        }

        var features = new Dictionary<string, double>(hit.Evidence.Features)
        {
            ["range_clients"] = c.Clients,
            ["range_clients_with_login_success"] = c.WithLoginSuccess,
            ["range_clients_failing_only"] = c.FailingOnly,
        };
        var others = c.Clients - c.FailingOnly;
        var explanation = $"{hit.Evidence.Explanation} The range holds {c.Clients} tracked clients: {c.FailingOnly} only failed logins, {c.WithLoginSuccess} logged in successfully (collateral), {Math.Max(0, others - c.WithLoginSuccess)} others.";
        return hit with { Evidence = hit.Evidence with { Features = features, Explanation = explanation } };
    }

    /// <summary>True when some alert on this entity may be in force; false means no detector needs the per-type check.</summary>
    public bool IsHot(EntityScope scope, string value) => _hotCount > 0 && _hot[(int)scope].Contains(value);

    private void AddHot(EntityScope scope, string value)
    {
        if (_hot[(int)scope].Add(value))
        {
            _hotCount++;
        }
    }

    /// <summary>True while an alert of this type on this entity is still in force: the detector need not run again.</summary>
    public bool IsActive(string alertType, EntityScope scope, string value, long eventTicks) =>
        _activeUntil.Count > 0 && _activeUntil.TryGetValue((alertType, scope, value), out var until) && until > eventTicks;

    private void PruneOccasionally(long eventTicks)
    {
        if (eventTicks - _lastPrune < TimeSpan.TicksPerMinute)
        {
            return;
        }

        _lastPrune = eventTicks;
        foreach (var set in _hot)
        {
            set.Clear();
        }

        _hotCount = 0;
        foreach (var (k, v) in _activeUntil)
        {
            if (v <= eventTicks)
            {
                _activeUntil.Remove(k);
            }
            else
            {
                AddHot(k.Scope, k.Value);
            }
        }

        foreach (var (k, v) in _inForce)
        {
            if (v.UntilTicks <= eventTicks)
            {
                _inForce.Remove(k);
            }
        }

        foreach (var (k, v) in _offences)
        {
            if (eventTicks - v.LastTicks >= _options.RepeatWindow.Ticks)
            {
                _offences.Remove(k);
            }
        }
    }
}
