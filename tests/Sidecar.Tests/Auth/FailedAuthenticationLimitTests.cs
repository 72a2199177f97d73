using System.Net;
using Analytics.Messaging;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Auth;

/// <summary>
/// API-key guessing from addresses rotating through one IPv6 /64 (behind a trusted proxy on
/// loopback): after the default 20 failures per minute the whole /64 gets 429 with Retry-After,
/// before its credentials are looked at; another /64 is not affected.
/// </summary>
public sealed class FailedAuthenticationLimitTests
{
    [Fact]
    public async Task Guessing_api_keys_from_rotating_addresses_in_one_64_is_throttled_inline()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:Proxy:TrustedProxies:0"] = "127.0.0.1");
        using var client = sidecar.Client();

        for (var i = 1; i <= 20; i++)
        {
            using var guess = await client.GetWithAsync("/keys/x", apiKey: $"guess-{i}", configure: r => r.Headers.Add("X-Forwarded-For", $"2001:db8:1:2::{i:x}"));
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        // A fresh address of the same /64, now with the right key: refused before the key is checked.
        using var refused = await client.GetWithAsync("/keys/x", apiKey: TestSidecar.ReaderKey, configure: r => r.Headers.Add("X-Forwarded-For", "2001:db8:1:2:ffff::1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, "Retry-After within the window");
        var evt = await sidecar.EventAsync(e => e.RequestId == refused.RequestId());
        Assert.Equal(RejectionReasons.RateLimit, evt.RejectedBy);
        Assert.Equal(AuthOutcomes.NotEvaluated, evt.Auth.Outcome);

        using var neighbour = await client.GetWithAsync("/keys/x", apiKey: TestSidecar.ReaderKey, configure: r => r.Headers.Add("X-Forwarded-For", "2001:db8:1:3::1"));
        Assert.Equal(HttpStatusCode.OK, neighbour.StatusCode);
    }

    [Fact]
    public async Task Successful_authentications_do_not_count()
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);
        using var client = sidecar.Client("127.0.3.1");
        for (var i = 0; i < 40; i++)
        {
            using var ok = await client.GetWithAsync("/keys/x", apiKey: TestSidecar.ReaderKey);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
    }
}
