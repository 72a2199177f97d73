namespace Analytics.Alerts.Jobs;

/// <summary>How delivery jobs retry (<c>Alerts:Delivery</c>): exponential back-off with jitter, then failed.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Retries after the first attempt before a job is left failed (visible in the dashboard).</summary>
    public int Retries { get; set; } = 10;

    /// <summary>The delay before the first retry; each later one doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Payloads of delivered notifications are kept this long (so a redelivered alert is recognised).</summary>
    public TimeSpan PayloadRetention { get; set; } = TimeSpan.FromDays(7);
}
