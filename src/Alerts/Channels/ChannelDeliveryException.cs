namespace Analytics.Alerts.Channels;

/// <summary>
/// A delivery that did not happen, described without the endpoint's URL, credentials or the
/// underlying exception (whose message or stack could carry them): this is what logs and the
/// Hangfire dashboard show.
/// </summary>
public sealed class ChannelDeliveryException(string channel, string problem, TimeSpan? retryAfter = null)
    : Exception($"{channel}: {problem}")
{
    public string Channel { get; } = channel;

    /// <summary>The earliest retry the receiver asked for (HTTP 429 <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
