using Hangfire.Common;

namespace Analytics.Alerts.Jobs;

/// <summary>
/// The filters the alerts' Hangfire client and server use: only <see cref="DeliveryRetryFilter"/>,
/// not Hangfire's global filters (whose default AutomaticRetry would retry a second time).
/// </summary>
internal sealed class DeliveryJobFilters
{
    public DeliveryJobFilters(DeliveryRetryFilter retry)
    {
        var filters = new JobFilterCollection();
        filters.Add(retry);
        Provider = filters;
    }

    public IJobFilterProvider Provider { get; }
}
