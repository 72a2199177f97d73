using System.Net;
using Analytics.Messaging;
using Analytics.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Analytics.Sidecar.Tests.Enforcement;

/// <summary>
/// What the proxy does while the decisions are not known (Sidecar:Decisions:UntilCaughtUp) and
/// when the decisions feed fails after start: over a real sidecar whose stream transport fails on demand.
/// </summary>
public sealed class DecisionFeedAvailabilityTests
{
    [Fact]
    public async Task By_default_requests_get_503_with_retry_after_until_the_feed_has_caught_up()
    {
        FaultyStreamTransport? transport = null;
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false, services: s => Faulty(s, hold: true, t => transport = t));
        using var client = sidecar.Client();
        using var admin = sidecar.Admin();

        using var refused = await client.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        using (var notReady = await admin.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }

        transport!.ReleaseCatchUp();
        await HttpExtensions.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync("/open/x");
            return response.StatusCode == HttpStatusCode.OK;
        }, "the sidecar to serve once caught up");
        using var ready = await admin.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task After_the_maximum_wait_the_sidecar_serves_though_not_ready()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:Decisions:MaxCatchUpWait"] = "00:00:01", captureEvents: false,
            services: s => Faulty(s, hold: true, _ => { }));
        using var client = sidecar.Client();
        using var admin = sidecar.Admin();

        await HttpExtensions.EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync("/open/x");
            return response.StatusCode == HttpStatusCode.OK;
        }, "the sidecar to give up waiting");
        using var notReady = await admin.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
    }

    [Fact]
    public async Task Serve_mode_forwards_before_the_feed_has_caught_up()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:Decisions:UntilCaughtUp"] = "serve", captureEvents: false,
            services: s => Faulty(s, hold: true, _ => { }));
        using var client = sidecar.Client();

        using var response = await client.GetAsync("/open/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_failing_feed_keeps_the_last_decisions_marks_not_ready_and_recovers_without_stopping_the_proxy()
    {
        FaultyStreamTransport? transport = null;
        // Default settings: retries after 1, 2, 4 ... seconds.
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false, services: s => Faulty(s, hold: false, t => transport = t));
        using var admin = sidecar.Admin();
        using var posted = await admin.PostAsync("/decisions", HttpExtensions.Json("""{"scope":"ip","value":"127.0.0.61","action":"block","ttl_seconds":300}"""));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        using var blocked = sidecar.Client("127.0.0.61");
        using var other = sidecar.Client("127.0.0.62");

        transport!.Fail();
        await HttpExtensions.EventuallyAsync(async () =>
        {
            using var ready = await admin.GetAsync("/readyz");
            return ready.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, "readiness to turn red");

        // The host is not stopping (a throwing BackgroundService would have asked it to), the
        // proxy serves, and the decision in force still holds.
        Assert.False(sidecar.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        using (var stillBlocked = await blocked.GetAsync("/open/x"))
        using (var stillServed = await other.GetAsync("/open/x"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, stillBlocked.StatusCode);
            Assert.Equal(HttpStatusCode.OK, stillServed.StatusCode);
        }

        transport.Recover();
        await HttpExtensions.EventuallyAsync(async () =>
        {
            using var ready = await admin.GetAsync("/readyz");
            return ready.StatusCode == HttpStatusCode.OK;
        }, "the feed to recover", attempts: 200);
        using var afterwards = await blocked.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.Forbidden, afterwards.StatusCode);
    }

    private static void Faulty(IServiceCollection services, bool hold, Action<FaultyStreamTransport> created)
    {
        services.AddSingleton<IStreamTransport>(_ =>
        {
            var transport = new FaultyStreamTransport(new Analytics.Messaging.InProcess.InProcessTransport(10_000)) { HoldCatchUp = hold };
            created(transport);
            return transport;
        });
    }
}
