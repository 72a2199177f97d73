using System.Collections.Concurrent;
using System.Diagnostics;

namespace Analytics.Tests.Shared;

/// <summary>Records every span of one activity source that stops while it lives, as an exporter would see them.</summary>
public sealed class RecordedSpans : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public RecordedSpans(string sourceName)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans stopped so far (a snapshot).</summary>
    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    public void Dispose() => _listener.Dispose();
}
