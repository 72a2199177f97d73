using Analytics.Alerts.Stats;
using Analytics.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Alerts.Routing;

/// <summary>
/// Turns alerts into notifications: dedup by key within a window (repeats become at most one
/// update per window; a higher severity is sent again at once), grouping of bursts by type into
/// one digest (a wait and a threshold), then per channel a minimum severity and an hourly cap
/// whose held-back messages are summed up when the hour ends. Not thread-safe: the dispatcher
/// owns it; time comes from the caller so windows are testable without sleeping.
/// </summary>
internal sealed class AlertRouter
{
    private static readonly TimeSpan CapWindow = TimeSpan.FromHours(1);

    private readonly RoutingOptions _options;
    private readonly AlertStats _stats;
    private readonly ILogger _logger;
    private readonly ChannelBudget[] _budgets;
    private readonly Dictionary<string, DedupEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlertGroup> _groups = new(StringComparer.Ordinal);

    public AlertRouter(RoutingOptions options, IEnumerable<RouteChannel> channels, AlertStats stats, ILogger? logger = null)
    {
        _options = options;
        _stats = stats;
        _logger = logger ?? NullLogger.Instance;
        _budgets = [.. channels.Select(c => new ChannelBudget(c))];
    }

    /// <summary>Dedup keys currently tracked (bounded by the window: idle keys are evicted on <see cref="Tick"/>).</summary>
    public int TrackedKeys => _entries.Count;

    /// <summary>Routes one alert. <paramref name="ticket"/> comes back in <see cref="RouteResult.Released"/> once nothing more depends on it.</summary>
    public RouteResult Route(Alert alert, long ticket, DateTimeOffset now)
    {
        var result = new RouteResult();
        _stats.Received();
        var key = string.IsNullOrEmpty(alert.DedupKey) ? alert.Id : alert.DedupKey;
        if (alert.Count < 1)
        {
            alert = alert with { Count = 1 };
        }

        if (_entries.TryGetValue(key, out var entry))
        {
            if (!entry.InGroup && now >= entry.WindowStart + _options.DedupWindow)
            {
                // The window is over: say what the old one saw, then this is a new alert.
                FlushUpdate(entry, now, result);
                _entries.Remove(key);
            }
            else
            {
                Repeat(entry, alert, ticket, now, result);
                return result;
            }
        }

        entry = new DedupEntry(alert);
        _entries[key] = entry;
        if (!_groups.TryGetValue(alert.Type, out var group))
        {
            group = new AlertGroup(alert.Type, now);
            _groups[alert.Type] = group;
        }

        group.Keys.Add(key);
        group.Tickets.Add(ticket);
        if (group.Keys.Count >= _options.GroupThreshold)
        {
            FlushGroup(group, now, result);
        }

        return result;
    }

    /// <summary>Sends what is due: groups whose wait is over, updates whose window ended, summaries of capped hours.</summary>
    public RouteResult Tick(DateTimeOffset now)
    {
        var result = new RouteResult();
        foreach (var group in _groups.Values.Where(g => now >= g.Started + _options.GroupWait).ToList())
        {
            FlushGroup(group, now, result);
        }

        List<string>? idle = null;
        foreach (var (key, entry) in _entries)
        {
            if (entry.InGroup || now < entry.WindowStart + _options.DedupWindow)
            {
                continue;
            }

            if (entry.PendingUpdate)
            {
                FlushUpdate(entry, now, result);
                entry.WindowStart = now;
            }
            else
            {
                (idle ??= []).Add(key);
            }
        }

        foreach (var key in idle ?? [])
        {
            _entries.Remove(key);
        }

        foreach (var budget in _budgets)
        {
            if (budget.WindowStart is { } start && now >= start + CapWindow)
            {
                if (budget.HeldMessages > 0)
                {
                    result.Notifications.Add(HeldSummaryFor(budget, start, now));
                }

                budget.Reset(null);
            }
        }

        return result;
    }

    private void Repeat(DedupEntry entry, Alert alert, long ticket, DateTimeOffset now, RouteResult result)
    {
        entry.Merge(alert);
        if (entry.InGroup)
        {
            // Folded into a message not sent yet: its offset waits for that message.
            entry.HeldTickets.Add(ticket);
            _stats.SuppressedByDedup();
            RoutingLog.SuppressedByDedup(_logger, alert.Id, alert.DedupKey);
            return;
        }

        result.Released.Add(ticket);
        if (AlertSeverities.Rank(alert.Severity) > AlertSeverities.Rank(entry.SentSeverity))
        {
            var previous = entry.SentSeverity;
            entry.SentSeverity = entry.Current.Severity;
            entry.WindowStart = now;
            entry.PendingUpdate = false;
            Emit(new Notification
            {
                Id = $"e-{alert.Id}",
                Kind = NotificationKind.Escalation,
                Severity = entry.Current.Severity,
                Created = now,
                Alert = entry.Current,
                ThreadKey = alert.DedupKey,
                PreviousSeverity = previous,
            }, result);
            return;
        }

        entry.PendingUpdate = true;
        _stats.SuppressedByDedup();
        RoutingLog.SuppressedByDedup(_logger, alert.Id, alert.DedupKey);
    }

    private void FlushUpdate(DedupEntry entry, DateTimeOffset now, RouteResult result)
    {
        if (!entry.PendingUpdate)
        {
            return;
        }

        entry.PendingUpdate = false;
        entry.Updates++;
        Emit(new Notification
        {
            Id = $"u-{entry.EpisodeId}-{entry.Updates}",
            Kind = NotificationKind.Update,
            Severity = entry.Current.Severity,
            Created = now,
            Alert = entry.Current,
            ThreadKey = entry.Current.DedupKey,
            UpdateNumber = entry.Updates,
        }, result);
    }

    private void FlushGroup(AlertGroup group, DateTimeOffset now, RouteResult result)
    {
        _groups.Remove(group.Type);
        var entries = new List<DedupEntry>(group.Keys.Count);
        foreach (var key in group.Keys)
        {
            var entry = _entries[key];
            entry.InGroup = false;
            entry.WindowStart = now;
            entry.SentSeverity = entry.Current.Severity;
            entries.Add(entry);
            result.Released.AddRange(entry.HeldTickets);
            entry.HeldTickets.Clear();
        }

        result.Released.AddRange(group.Tickets);
        if (entries.Count == 1)
        {
            var alert = entries[0].Current;
            Emit(new Notification
            {
                Id = $"a-{entries[0].EpisodeId}",
                Kind = NotificationKind.Alert,
                Severity = alert.Severity,
                Created = now,
                Alert = alert,
                ThreadKey = alert.DedupKey,
            }, result);
            return;
        }

        var severity = entries.MaxBy(e => AlertSeverities.Rank(e.Current.Severity))!.Current.Severity;
        var digest = new DigestSummary
        {
            Type = group.Type,
            AlertCount = entries.Sum(e => (long)e.Current.Count),
            EntityCount = entries.Select(e => e.Current.Entity).Distinct(StringComparer.Ordinal).Count(),
            SimulatedCount = entries.Count(e => e.Current.Simulated),
            FirstSeen = entries.Min(e => e.Current.FirstSeen),
            LastSeen = entries.Max(e => e.Current.LastSeen),
            Top = [.. entries
                .OrderByDescending(e => AlertSeverities.Rank(e.Current.Severity))
                .ThenByDescending(e => e.Current.Count)
                .ThenBy(e => e.Current.Entity, StringComparer.Ordinal)
                .Take(_options.DigestTopEntities)
                .Select(e => new DigestEntry
                {
                    Entity = e.Current.Entity,
                    Count = e.Current.Count,
                    Severity = e.Current.Severity,
                    Title = e.Current.Title,
                    DecisionId = e.Current.DecisionId,
                    Simulated = e.Current.Simulated,
                })],
        };
        Emit(new Notification
        {
            Id = $"d-{entries[0].EpisodeId}",
            Kind = NotificationKind.Digest,
            Severity = severity,
            Created = now,
            Digest = digest,
        }, result);
    }

    /// <summary>Applies each channel's threshold and cap, then adds the notification if any channel takes it.</summary>
    private void Emit(Notification notification, RouteResult result)
    {
        var rank = AlertSeverities.Rank(notification.Severity);
        foreach (var budget in _budgets)
        {
            var channel = budget.Channel;
            if (rank < AlertSeverities.Rank(channel.MinSeverity))
            {
                _stats.BelowSeverity(channel.Name);
                RoutingLog.BelowSeverity(_logger, notification.Id, notification.Severity, channel.Name);
                continue;
            }

            budget.WindowStart ??= notification.Created;
            if (budget.Sent >= channel.MaxPerHour)
            {
                Hold(budget, notification);
                RoutingLog.HeldByCap(_logger, notification.Id, channel.Name, channel.MaxPerHour);
                continue;
            }

            budget.Sent++;
            notification.Channels.Add(channel.Name);
        }

        if (notification.Channels.Count > 0)
        {
            _stats.NotificationCreated(notification.Kind == NotificationKind.Digest);
            RoutingLog.Routed(_logger, notification.Id, notification.Kind, notification.AlertCount, string.Join(",", notification.Channels));
            result.Notifications.Add(notification);
        }
    }

    private void Hold(ChannelBudget budget, Notification notification)
    {
        _stats.HeldByCap(budget.Channel.Name);
        budget.HeldMessages++;
        budget.HeldAlerts += notification.AlertCount;
        var type = notification.Alert?.Type ?? notification.Digest?.Type ?? "unknown";
        budget.HeldByType[type] = budget.HeldByType.GetValueOrDefault(type) + notification.AlertCount;
        if (notification.Alert is { } alert)
        {
            budget.HeldEntities[alert.Entity] = budget.HeldEntities.GetValueOrDefault(alert.Entity) + alert.Count;
        }

        foreach (var entry in notification.Digest?.Top ?? [])
        {
            budget.HeldEntities[entry.Entity] = budget.HeldEntities.GetValueOrDefault(entry.Entity) + entry.Count;
        }
    }

    private Notification HeldSummaryFor(ChannelBudget budget, DateTimeOffset start, DateTimeOffset now)
    {
        var held = new HeldSummary
        {
            Channel = budget.Channel.Name,
            WindowStart = start,
            WindowEnd = now,
            Messages = budget.HeldMessages,
            Alerts = budget.HeldAlerts,
            ByType = new Dictionary<string, long>(budget.HeldByType, StringComparer.Ordinal),
            TopEntities = [.. budget.HeldEntities
                .OrderByDescending(e => e.Value)
                .ThenBy(e => e.Key, StringComparer.Ordinal)
                .Take(_options.DigestTopEntities)
                .Select(e => e.Key)],
        };

        // A summary bypasses the cap it reports on, and goes only to the channel that held back.
        _stats.NotificationCreated(digest: false);
        return new Notification
        {
            Id = $"s-{budget.Channel.Name}-{start.ToUnixTimeMilliseconds()}",
            Kind = NotificationKind.HeldSummary,
            Severity = AlertSeverities.Info,
            Created = now,
            Channels = [budget.Channel.Name],
            Held = held,
        };
    }
}
