using System.Net;
using System.Net.Http.Headers;

namespace Analytics.Alerts.Channels;

/// <summary>Posts a body and turns every failure into a <see cref="ChannelDeliveryException"/> that names no URL.</summary>
internal static class HttpDelivery
{
    public static async Task PostAsync(HttpClient client, string channel, string url, HttpContent content, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ChannelDeliveryException(channel, $"request failed ({ex.HttpRequestError})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChannelDeliveryException(channel, "timed out");
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new ChannelDeliveryException(channel, "HTTP 429 (rate limited)", RetryAfter(response.Headers.RetryAfter));
            }

            throw new ChannelDeliveryException(channel, $"HTTP {status}", response.Headers.RetryAfter is { } ra ? RetryAfter(ra) : null);
        }
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };
}
