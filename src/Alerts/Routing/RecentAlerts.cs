using Analytics.Messaging;
using Microsoft.Extensions.Options;

namespace Analytics.Alerts.Routing;

/// <summary>The last alerts handled, newest first, for the admin API.</summary>
internal sealed class RecentAlerts(IOptions<AlertsOptions> options)
{
    private readonly LinkedList<Alert> _alerts = new();
    private readonly int _capacity = options.Value.RecentCapacity;
    private long _handled;

    public long Handled => Interlocked.Read(ref _handled);

    public void Add(Alert alert)
    {
        Interlocked.Increment(ref _handled);
        lock (_alerts)
        {
            _alerts.AddFirst(alert);
            while (_alerts.Count > _capacity)
            {
                _alerts.RemoveLast();
            }
        }
    }

    public List<Alert> Snapshot()
    {
        lock (_alerts)
        {
            return [.. _alerts];
        }
    }
}
