
using Analytics.Detection;

namespace Analytics.Detection.Model;

/// <summary>
/// A bounded ring of recent client-IP windows, one per entity and 10-second bucket, for the
/// retrain job. Entities that raised anything are filtered out when the job takes them.
/// Thread-safe: the pipeline adds, the job reads.
/// </summary>
internal sealed class RecentWindows(int capacity = 20_000)
{
    private readonly Lock _gate = new();
    private readonly LabelledWindow?[] _ring = new LabelledWindow?[capacity];
    private int _next;
    private long _added;

    public long Added => Interlocked.Read(ref _added);

    public void Add(string entity, ReadOnlySpan<float> features)
    {
        var window = new LabelledWindow(entity, features.ToArray(), TrafficLabels.Benign);
        lock (_gate)
        {
            _ring[_next] = window;
            _next = (_next + 1) % _ring.Length;
            _added++;
        }
    }

    public List<LabelledWindow> Snapshot()
    {
        lock (_gate)
        {
            return [.. _ring.OfType<LabelledWindow>()];
        }
    }
}
