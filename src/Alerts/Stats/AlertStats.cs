using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Analytics.Alerts.Stats;

/// <summary>
/// Every routing and delivery outcome, counted twice: as OpenTelemetry counters
/// (<c>alerts.received</c>, <c>alerts.suppressed</c>, <c>alerts.deliveries</c> by channel and outcome)
/// and in memory for <c>GET /alerts/stats</c>.
/// </summary>
internal sealed class AlertStats
{
    public const string MeterName = "Analytics.Alerts";

    private readonly ConcurrentDictionary<string, ChannelStats> _channels = new(StringComparer.Ordinal);
    private readonly Counter<long> _receivedCounter;
    private readonly Counter<long> _suppressedCounter;
    private readonly Counter<long> _deliveries;
    private long _received;
    private long _suppressed;
    private long _notifications;
    private long _digests;

    public AlertStats(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _receivedCounter = meter.CreateCounter<long>("alerts.received", description: "Alerts read from the stream");
        _suppressedCounter = meter.CreateCounter<long>("alerts.suppressed", description: "Repeats folded into an earlier message by dedup");
        _deliveries = meter.CreateCounter<long>("alerts.deliveries", description: "Delivery outcomes by channel and outcome (enqueued, sent, retried, failed, held_by_cap, below_severity)");
    }

    public void Received()
    {
        Interlocked.Increment(ref _received);
        _receivedCounter.Add(1);
    }

    public void SuppressedByDedup()
    {
        Interlocked.Increment(ref _suppressed);
        _suppressedCounter.Add(1);
    }

    public void NotificationCreated(bool digest)
    {
        Interlocked.Increment(ref _notifications);
        if (digest)
        {
            Interlocked.Increment(ref _digests);
        }
    }

    public void Enqueued(string channel) => Count(channel, "enqueued").AddEnqueued();

    public void Sent(string channel) => Count(channel, "sent").AddSent();

    public void Retried(string channel) => Count(channel, "retried").AddRetried();

    public void Failed(string channel) => Count(channel, "failed").AddFailed();

    public void HeldByCap(string channel) => Count(channel, "held_by_cap").AddHeldByCap();

    public void BelowSeverity(string channel) => Count(channel, "below_severity").AddBelowSeverity();

    public ChannelStats For(string channel) => _channels.GetOrAdd(channel, static _ => new ChannelStats());

    public AlertStatsSnapshot Snapshot(string storage) => new()
    {
        Received = Interlocked.Read(ref _received),
        SuppressedByDedup = Interlocked.Read(ref _suppressed),
        Notifications = Interlocked.Read(ref _notifications),
        Digests = Interlocked.Read(ref _digests),
        Storage = storage,
        Channels = _channels.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal),
    };

    private ChannelStats Count(string channel, string outcome)
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", outcome));
        return For(channel);
    }
}
