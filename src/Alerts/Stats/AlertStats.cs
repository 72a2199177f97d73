using System.Diagnostics.Metrics;
using Analytics.ServiceDefaults.Telemetry;

namespace Analytics.Alerts.Stats;

/// <summary>
/// Every routing and delivery outcome, counted once on the <c>Analytics.Alerts</c> meter
/// (<c>analytics.alerts.received</c>, <c>analytics.alerts.suppressed</c>,
/// <c>analytics.alerts.notifications</c> by kind, <c>analytics.alerts.deliveries</c> by channel
/// and outcome); <c>GET /alerts/stats</c> reads the same counts.
/// </summary>
internal sealed class AlertStats
{
    public const string MeterName = "Analytics.Alerts";

    private readonly TaggedCounts _received;
    private readonly TaggedCounts _suppressed;
    private readonly TaggedCounts _notifications;
    private readonly TaggedCounts _deliveries;

    public AlertStats(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _received = new TaggedCounts(meter, "analytics.alerts.received", "{alert}", "Alerts read from the stream");
        _suppressed = new TaggedCounts(meter, "analytics.alerts.suppressed", "{alert}", "Repeats folded into an earlier message by dedup");
        _notifications = new TaggedCounts(meter, "analytics.alerts.notifications", "{notification}", "Notifications created, by kind (single or digest)", "kind");
        _deliveries = new TaggedCounts(meter, "analytics.alerts.deliveries", "{delivery}",
            "Delivery outcomes by channel and outcome (enqueued, sent, retried, failed, held_by_cap, below_severity)", "channel", "outcome");
    }

    public void Received() => _received.Add(1);

    public void SuppressedByDedup() => _suppressed.Add(1);

    public void NotificationCreated(bool digest) => _notifications.Add(1, digest ? "digest" : "single");

    public void Enqueued(string channel) => _deliveries.Add(1, channel, "enqueued");

    public void Sent(string channel) => _deliveries.Add(1, channel, "sent");

    public void Retried(string channel) => _deliveries.Add(1, channel, "retried");

    public void Failed(string channel) => _deliveries.Add(1, channel, "failed");

    public void HeldByCap(string channel) => _deliveries.Add(1, channel, "held_by_cap");

    public void BelowSeverity(string channel) => _deliveries.Add(1, channel, "below_severity");

    /// <summary>One channel's outcome counts since start.</summary>
    public ChannelStats For(string channel)
    {
        var outcomes = _deliveries.SumWhere("channel", channel, "outcome");
        return new ChannelStats(
            outcomes.GetValueOrDefault("enqueued"),
            outcomes.GetValueOrDefault("sent"),
            outcomes.GetValueOrDefault("retried"),
            outcomes.GetValueOrDefault("failed"),
            outcomes.GetValueOrDefault("held_by_cap"),
            outcomes.GetValueOrDefault("below_severity"));
    }

    public AlertStatsSnapshot Snapshot(string storage)
    {
        var notifications = _notifications.SumBy("kind");
        return new AlertStatsSnapshot
        {
            Received = _received.Total,
            SuppressedByDedup = _suppressed.Total,
            Notifications = notifications.Values.Sum(),
            Digests = notifications.GetValueOrDefault("digest"),
            Storage = storage,
            Channels = _deliveries.SumBy("channel").Keys.Order(StringComparer.Ordinal).ToDictionary(c => c, For, StringComparer.Ordinal),
        };
    }
}
