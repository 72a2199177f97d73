using System.Globalization;
using Analytics.Alerts.Decisions;
using Analytics.Alerts.Routing;
using Analytics.Messaging;
using Analytics.Messaging.Links;
using Analytics.ServiceDefaults.Admin;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Templates;

/// <summary>Words a notification once for every channel: headline, facts, evidence, decision, lift command and Kibana link.</summary>
internal sealed class NotificationViewBuilder(IOptions<AlertsOptions> options, DecisionBook decisions, IServiceProvider services)
{
    public const string WouldHaveBlocked = "Would have blocked (simulated decision, not enforced)";

    // Kibana opens a little before and after what the alert saw, so the lead-up is in view.
    private static readonly TimeSpan KibanaMargin = TimeSpan.FromMinutes(5);

    private readonly AlertsOptions _options = options.Value;

    public NotificationView Build(Notification n) => n.Kind switch
    {
        NotificationKind.Digest => Digest(n, n.Digest!),
        NotificationKind.HeldSummary => Held(n, n.Held!),
        _ => Single(n, n.Alert!),
    };

    private NotificationView Single(Notification n, Alert alert)
    {
        var severity = alert.Severity.ToUpperInvariant();
        var suffix = n.Kind switch
        {
            NotificationKind.Update => " · update",
            NotificationKind.Escalation => " · escalated",
            _ => "",
        };
        var change = n.Kind switch
        {
            NotificationKind.Update => $"Seen {Count(alert.Count)} times so far, last at {Time(alert.LastSeen)} (update {n.UpdateNumber}).",
            NotificationKind.Escalation => $"Severity rose from {n.PreviousSeverity} to {alert.Severity}; seen {Count(alert.Count)} times so far.",
            _ => null,
        };

        var facts = new List<ViewFact>
        {
            new("Entity", alert.Entity),
            new("Count", Count(alert.Count)),
            new("First seen", Time(alert.FirstSeen)),
            new("Last seen", Time(alert.LastSeen)),
        };

        var decision = decisions.Find(alert.DecisionId);
        return new NotificationView
        {
            NotificationId = n.Id,
            Headline = $"{severity} · {alert.Type}{suffix}",
            Severity = alert.Severity,
            Title = string.IsNullOrWhiteSpace(alert.Title) ? $"{alert.Type} from {alert.Entity}" : alert.Title,
            Summary = alert.Summary,
            Label = alert.Simulated || decision?.Simulated == true ? WouldHaveBlocked : null,
            Change = change,
            Facts = facts,
            Explanation = alert.Evidence?.Explanation,
            Evidence = EvidenceLines(alert.Evidence),
            Decision = DecisionLine(alert, decision),
            LiftCommand = alert.DecisionId is { Length: > 0 } id ? LiftCommand(id) : null,
            KibanaUrl = KibanaFor(alert),
            Subject = $"[{severity}] {alert.Type}: {alert.Entity}" + (alert.Simulated ? " (would have blocked)" : ""),
            ThreadKey = n.ThreadKey ?? alert.DedupKey,
        };
    }

    private NotificationView Digest(Notification n, DigestSummary d)
    {
        var severity = n.Severity.ToUpperInvariant();
        var lines = d.Top.Select(e => new ViewLine(
            $"{e.Entity}: {Count(e.Count)} × {e.Severity}" + (e.DecisionId is { } id ? $", decision {id}" : "") + (e.Simulated ? " (would have blocked)" : ""),
            KibanaFor(e.Entity, d.FirstSeen, d.LastSeen))).ToList();
        var more = d.EntityCount - d.Top.Count;
        if (more > 0)
        {
            lines.Add(new ViewLine($"… and {Count(more)} more"));
        }

        return new NotificationView
        {
            NotificationId = n.Id,
            Headline = $"{severity} · {d.Type} · digest",
            Severity = n.Severity,
            Title = $"{Count(d.AlertCount)} {d.Type} alerts from {Count(d.EntityCount)} entities",
            Summary = $"A burst between {Time(d.FirstSeen)} and {Time(d.LastSeen)}, sent as one message.",
            Label = d.SimulatedCount > 0 ? $"{Count(d.SimulatedCount)} of them would have blocked (simulated decisions, not enforced)" : null,
            Facts =
            [
                new("Alerts", Count(d.AlertCount)),
                new("Entities", Count(d.EntityCount)),
                new("First seen", Time(d.FirstSeen)),
                new("Last seen", Time(d.LastSeen)),
            ],
            LinesHeading = "Top entities",
            Lines = lines,
            Subject = $"[{severity}] {d.Type}: {Count(d.AlertCount)} alerts from {Count(d.EntityCount)} entities",
        };
    }

    private static NotificationView Held(Notification n, HeldSummary h) => new()
    {
        NotificationId = n.Id,
        Headline = $"INFO · held back by the hourly cap of {h.Channel}",
        Severity = n.Severity,
        Title = $"{Count(h.Messages)} messages ({Count(h.Alerts)} alerts) were held back",
        Summary = $"The {h.Channel} channel reached its hourly cap between {Time(h.WindowStart)} and {Time(h.WindowEnd)}; these were not sent. Search them in Kibana or GET /alerts on the admin API.",
        Facts =
        [
            new("Messages held", Count(h.Messages)),
            new("Alerts", Count(h.Alerts)),
            new("From", Time(h.WindowStart)),
            new("To", Time(h.WindowEnd)),
        ],
        LinesHeading = "By type, then top entities",
        Lines = [.. h.ByType.OrderByDescending(t => t.Value).Select(t => new ViewLine($"{t.Key}: {Count(t.Value)}")),
            .. h.TopEntities.Select(e => new ViewLine(e))],
        Subject = $"[INFO] {h.Channel}: {Count(h.Messages)} alert messages held back by the hourly cap",
    };

    private string DecisionLine(Alert alert, Decision? decision)
    {
        if (decision is null)
        {
            return alert.DecisionId is { Length: > 0 } id
                ? $"Decision {id}" + (alert.Simulated ? " (simulated: would have blocked, not enforced)" : " (enforced)")
                : "No decision: for people to look at.";
        }

        var action = decision.Action == DecisionActions.Throttle && decision.Rate is { } rate
            ? $"throttle to {rate.ToString("0.##", CultureInfo.InvariantCulture)} requests/s"
            : decision.Action;
        var until = decision.Expires is { } expires ? $"until {Time(expires)}" : "until lifted";
        var mode = decision.Simulated ? "simulated: would have blocked, not enforced" : "enforced";
        return $"{action} {decision.Scope}:{decision.Value} {until} ({mode}), decision {decision.Id}, by {decision.Source}";
    }

    private string LiftCommand(string decisionId) =>
        $"curl -X DELETE -H \"Authorization: Bearer $ADMIN_TOKEN\" {DecisionsAdminUrl().TrimEnd('/')}/decisions/{Uri.EscapeDataString(decisionId)}";

    private string DecisionsAdminUrl() =>
        _options.DecisionsAdminUrl is { Length: > 0 } configured ? configured
        : services.GetService(typeof(AdminEndpointInfo)) is AdminEndpointInfo { Url: { } own } ? own
        : "http://127.0.0.1:9901";

    private static List<string> EvidenceLines(Evidence? evidence)
    {
        var lines = new List<string>();
        if (evidence is null)
        {
            return lines;
        }

        foreach (var (name, value) in evidence.Features.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            lines.Add(evidence.Thresholds.TryGetValue(name, out var threshold)
                ? $"{name} = {Number(value)} (threshold {Number(threshold)})"
                : $"{name} = {Number(value)}");
        }

        foreach (var top in evidence.TopFeatures)
        {
            lines.Add($"top feature {top.Feature} = {Number(top.Value)} (contribution {Number(top.Contribution)})");
        }

        if (evidence.Window is { } window)
        {
            var span = evidence.WindowStart is { } s && evidence.WindowEnd is { } e ? $", {Time(s)} to {Time(e)}" : "";
            lines.Add($"window {window}{span}");
        }

        return lines;
    }

    private string? KibanaFor(Alert alert)
    {
        if (alert.Links.TryGetValue("kibana", out var link) && !string.IsNullOrWhiteSpace(link))
        {
            return link;
        }

        var from = Earliest(alert.FirstSeen, alert.Evidence?.WindowStart);
        var to = Latest(alert.LastSeen, alert.Evidence?.WindowEnd);
        return KibanaFor(alert.Entity, from, to);
    }

    private string? KibanaFor(string entity, DateTimeOffset from, DateTimeOffset to) =>
        string.IsNullOrWhiteSpace(_options.KibanaUrl) || from == default
            ? null
            : KibanaDiscoverLink.ForEntity(_options.KibanaUrl, entity, from - KibanaMargin, (to == default ? from : to) + KibanaMargin);

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset? b) => b is { } v && (a == default || v < a) ? v : a;

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset? b) => b is { } v && v > a ? v : a;

    internal static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Time(DateTimeOffset t) => t == default ? "-" : t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Number(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
