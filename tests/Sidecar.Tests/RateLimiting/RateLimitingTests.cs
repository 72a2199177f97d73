using System.Net;
using Analytics.Messaging;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.RateLimiting;

public sealed class RateLimitingTests
{
    [Fact]
    public async Task Over_the_limit_gets_429_with_headers_then_recovers()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client("127.0.0.21");

        // Fixed window of 3 per second: the 4th request of a burst is refused. The burst may
        // straddle a window boundary, so send until a refusal arrives (bounded).
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var response = await client.GetAsync("/limited/x");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("\"tight\";q=3;w=1", response.Headers.GetValues("RateLimit-Policy").Single());
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
            Assert.Equal("\"tight\";q=3;w=1", refused.Headers.GetValues("RateLimit-Policy").Single());
            Assert.StartsWith("\"tight\";r=0;t=", refused.Headers.GetValues("RateLimit").Single());
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var evt = await sidecar.EventAsync(e => e.RequestId == refused.RequestId());
            Assert.Equal(RejectionReasons.RateLimit, evt.RejectedBy);
            Assert.Equal(new RateLimitInfo("rejected", "tight"), evt.RateLimit);
            Assert.Equal(429, evt.Status);
        }

        await HttpExtensions.EventuallyAsync(async () =>
        {
            using var again = await client.GetAsync("/limited/x");
            return again.StatusCode == HttpStatusCode.OK;
        }, "the window to reopen");
    }

    [Fact]
    public async Task Partitions_are_per_client_ip_for_anonymous_callers()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var noisy = sidecar.Client("127.0.0.22");
        using var quiet = sidecar.Client("127.0.0.23");

        var refused = false;
        for (var i = 0; i < 20 && !refused; i++)
        {
            using var response = await noisy.GetAsync("/limited/x");
            refused = response.StatusCode == HttpStatusCode.TooManyRequests;
        }

        Assert.True(refused);
        using var other = await quiet.GetAsync("/limited/x");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Partitions_follow_the_principal_not_the_ip()
    {
        // A budget of 3 a minute: two requests from each of two addresses fit per address, so
        // only a budget shared by the key (the principal) refuses the fourth.
        await using var sidecar = await TestSidecar.StartAsync(c =>
        {
            c["Sidecar:RateLimiting:Policies:minute:Kind"] = "FixedWindow";
            c["Sidecar:RateLimiting:Policies:minute:PermitLimit"] = "3";
            c["Sidecar:RateLimiting:Policies:minute:WindowSeconds"] = "60";
            c["Sidecar:Routes:keys:RateLimitPolicy"] = "minute";
        });
        using var first = sidecar.Client("127.0.0.24");
        using var second = sidecar.Client("127.0.0.25");

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { first, first, second, second })
        {
            using var response = await client.GetWithAsync("/keys/x", apiKey: TestSidecar.ReaderKey);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var evt = await sidecar.EventAsync(e => e.RejectedBy == RejectionReasons.RateLimit);
        Assert.Equal("reader", evt.Principal.Id);
        Assert.Equal("127.0.0.25", evt.ClientIp);
    }

    [Fact]
    public async Task Throttle_decision_lowers_the_partition_limit()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var admin = sidecar.Admin();
        using var client = sidecar.Client("127.0.0.26");
        using var bystander = sidecar.Client("127.0.0.27");

        // The open route allows 1000/s; a throttle of 1/s on this IP must refuse a burst.
        using var throttle = await admin.PostAsync("/decisions", HttpExtensions.Json("""{"scope":"ip","value":"127.0.0.26","action":"throttle","rate":1,"ttl_seconds":300}"""));
        Assert.Equal(HttpStatusCode.Created, throttle.StatusCode);
        var decisionId = (await throttle.JsonAsync()).GetProperty("id").GetString();

        var refusedIds = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync("/open/x");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refusedIds.Add(response.RequestId());
            }
        }

        Assert.NotEmpty(refusedIds);
        var evt = await sidecar.EventAsync(e => e.RequestId == refusedIds[0]);
        Assert.Equal(decisionId, evt.DecisionId);
        Assert.Equal("throttle", evt.RateLimit.Policy);

        for (var i = 0; i < 10; i++)
        {
            using var response = await bystander.GetAsync("/open/x");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Global_concurrency_cap_refuses_what_does_not_fit()
    {
        await using var sidecar = await TestSidecar.StartAsync(c =>
        {
            c["Sidecar:RateLimiting:GlobalConcurrencyLimit"] = "1";
            // Inspection would wait for the held body before forwarding; this test needs the request upstream.
            c["Sidecar:Routes:open:Inspection:Mode"] = "off";
            // The held body trickles below Kestrel's minimum data rate; on a slow machine the grace
            // period ran out while the probes ran, and the slow request ended in 408.
            c["Sidecar:Proxy:Limits:MinRequestBodyBytesPerSecond"] = "0";
        });
        using var client = sidecar.Client();

        // The upstream echo reads the whole body: a request whose body we hold open keeps the one slot busy.
        var gate = new TaskCompletionSource();
        using var slow = new HttpRequestMessage(HttpMethod.Post, "/open/slow") { Content = new HeldContent(gate.Task) };
        var slowTask = client.SendAsync(slow);
        await HttpExtensions.EventuallyAsync(() => Task.FromResult(sidecar.Upstream.LastHeaders is not null), "the slow request to reach the upstream");
        await HttpExtensions.EventuallyAsync(async () =>
        {
            using var probe = await client.GetAsync("/open/probe");
            return probe.StatusCode == HttpStatusCode.TooManyRequests;
        }, "the global cap to refuse a second request");
        gate.SetResult();
        using var slowResponse = await slowTask;
        Assert.Equal(HttpStatusCode.OK, slowResponse.StatusCode);
        var evt = await sidecar.EventAsync(e => e.RateLimit.Policy == "global");
        Assert.Equal(RejectionReasons.RateLimit, evt.RejectedBy);
    }
}
