using System.Text.Json.Serialization;

namespace Analytics.Alerts.Stats;

/// <summary>Outcome counts of one channel since start.</summary>
internal sealed class ChannelStats
{
    private long _enqueued;
    private long _sent;
    private long _retried;
    private long _failed;
    private long _heldByCap;
    private long _belowSeverity;

    [JsonPropertyName("enqueued")] public long Enqueued => Interlocked.Read(ref _enqueued);
    [JsonPropertyName("sent")] public long Sent => Interlocked.Read(ref _sent);
    [JsonPropertyName("retried")] public long Retried => Interlocked.Read(ref _retried);
    [JsonPropertyName("failed")] public long Failed => Interlocked.Read(ref _failed);
    [JsonPropertyName("held_by_cap")] public long HeldByCap => Interlocked.Read(ref _heldByCap);
    [JsonPropertyName("below_severity")] public long BelowSeverity => Interlocked.Read(ref _belowSeverity);

    internal void AddEnqueued() => Interlocked.Increment(ref _enqueued);
    internal void AddSent() => Interlocked.Increment(ref _sent);
    internal void AddRetried() => Interlocked.Increment(ref _retried);
    internal void AddFailed() => Interlocked.Increment(ref _failed);
    internal void AddHeldByCap() => Interlocked.Increment(ref _heldByCap);
    internal void AddBelowSeverity() => Interlocked.Increment(ref _belowSeverity);
}
