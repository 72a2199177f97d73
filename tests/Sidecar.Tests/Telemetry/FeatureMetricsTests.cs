using System.Net;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Telemetry;

/// <summary>
/// The Auth, RateLimiting and Inspection meters on the /metrics scrape: each counter moves for the
/// request that should move it, and /stats reads the same counts.
/// </summary>
[Collection(ProcessWideMetricsCollection.Name)]
public sealed class FeatureMetricsTests
{
    [Fact]
    public async Task Authentication_outcomes_are_counted_by_scheme_and_result()
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);
        using var client = sidecar.Client("127.0.4.1");
        using var admin = sidecar.Admin();

        using (var bad = await client.GetWithAsync("/keys/x", apiKey: "not-a-key"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        }

        using (var good = await client.GetWithAsync("/keys/x", apiKey: TestSidecar.ReaderKey))
        {
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        }

        using (var forbidden = await client.GetWithAsync("/keys/x", apiKey: TestSidecar.PlainKey))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using (var missing = await client.GetWithAsync("/keys/x"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        }

        using (var badToken = await client.GetWithAsync("/orders/1", bearer: "not.a.jwt"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        }

        var text = await MetricsScrape.UntilAsync(admin, "analytics_sidecar_auth_outcomes_total{", l => Has(l, "scheme", "jwt") && Has(l, "result", "invalid") && MetricsScrape.Value(l) >= 1);
        var stats = (await (await admin.GetAsync("/stats")).JsonAsync()).GetProperty("authentication");

        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_auth_outcomes_total"), l => Has(l, "scheme", "api_key") && Has(l, "result", "invalid") && MetricsScrape.Value(l) >= 1);
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_auth_outcomes_total"), l => Has(l, "scheme", "api_key") && Has(l, "result", "ok") && MetricsScrape.Value(l) >= 1);
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_auth_outcomes_total"), l => Has(l, "scheme", "api_key") && Has(l, "result", "forbidden") && MetricsScrape.Value(l) >= 1);
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_auth_outcomes_total"), l => Has(l, "scheme", "none") && Has(l, "result", "missing") && MetricsScrape.Value(l) >= 1);
        // This host's own counts, exactly: two bad credentials, one good, one without the role, one without any.
        Assert.Equal(2, stats.GetProperty("invalid").GetInt64());
        Assert.Equal(1, stats.GetProperty("ok").GetInt64());
        Assert.Equal(1, stats.GetProperty("forbidden").GetInt64());
        Assert.Equal(1, stats.GetProperty("missing").GetInt64());
        Assert.Equal(0, stats.GetProperty("failed_limit_refusals").GetInt64());
    }

    [Fact]
    public async Task The_failed_authentication_limiter_counts_its_refusals()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:Auth:FailedAuthentication:PermitLimit"] = "2", captureEvents: false);
        using var client = sidecar.Client("127.0.4.2");
        using var admin = sidecar.Admin();
        for (var i = 0; i < 2; i++)
        {
            using var guess = await client.GetWithAsync("/keys/x", apiKey: $"guess-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        using (var refused = await client.GetWithAsync("/keys/x", apiKey: TestSidecar.ReaderKey))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        var text = await MetricsScrape.UntilAsync(admin, "analytics_sidecar_auth_failed_limit_refusals_total", l => MetricsScrape.Value(l) >= 1);
        var stats = (await (await admin.GetAsync("/stats")).JsonAsync()).GetProperty("authentication");

        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_auth_failed_limit_refusals_total"), l => MetricsScrape.Value(l) >= 1);
        Assert.Equal(1, stats.GetProperty("failed_limit_refusals").GetInt64());
        // The limiter is not a route policy: the rate-limit meter does not count it.
        Assert.Equal(0, (await (await admin.GetAsync("/stats")).JsonAsync()).GetProperty("rate_limit_refusals").GetProperty("route").GetInt64());
    }

    [Fact]
    public async Task A_429_is_counted_by_kind_and_policy()
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);
        using var client = sidecar.Client("127.0.4.3");
        using var admin = sidecar.Admin();
        var limited = 0;
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetAsync("/limited/x");
            limited += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        var text = await MetricsScrape.UntilAsync(admin, "analytics_sidecar_ratelimit_refusals_total{", l => Has(l, "kind", "route") && Has(l, "policy", "tight"));
        var stats = (await (await admin.GetAsync("/stats")).JsonAsync()).GetProperty("rate_limit_refusals");

        Assert.InRange(limited, 1, 6);
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_ratelimit_refusals_total"), l =>
            Has(l, "kind", "route") && Has(l, "policy", "tight") && MetricsScrape.Value(l) >= limited);
        // The global cap's series is there from the start, at zero until it refuses.
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_ratelimit_refusals_total"), l => Has(l, "kind", "global"));
        Assert.Equal(limited, stats.GetProperty("route").GetInt64());
        Assert.Equal(0, stats.GetProperty("global").GetInt64());
    }

    [Fact]
    public async Task A_throttle_decision_refusal_is_counted_as_throttle()
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);
        using var client = sidecar.Client("127.0.4.4");
        using var admin = sidecar.Admin();
        using (var added = await admin.PostAsync("/decisions", new StringContent(
                   """{"scope":"ip","value":"127.0.4.4","action":"throttle","rate":1,"reason":"manual","ttl_seconds":300}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        var throttled = 0;
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/open/x");
            throttled += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        var stats = (await (await admin.GetAsync("/stats")).JsonAsync()).GetProperty("rate_limit_refusals");

        Assert.InRange(throttled, 1, 5);
        Assert.Equal(throttled, stats.GetProperty("throttle").GetInt64());
        Assert.Equal(0, stats.GetProperty("route").GetInt64());
    }

    [Fact]
    public async Task A_blocked_injection_is_counted_with_its_rules_family_and_latency()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:Routes:open:Inspection:Mode"] = "block", captureEvents: false);
        using var client = sidecar.Client("127.0.4.5");
        using var admin = sidecar.Admin();
        using (var clean = await client.GetAsync("/open/items?id=42"))
        {
            Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        }

        using (var injection = await client.GetAsync("/open/items?id=1%27%20UNION%20SELECT%20password%20FROM%20users--"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, injection.StatusCode);
        }

        var text = await MetricsScrape.UntilAsync(admin, "analytics_sidecar_inspection_verdicts_total{", l => Has(l, "mode", "block") && Has(l, "action", "block") && MetricsScrape.Value(l) >= 1);
        var stats = (await (await admin.GetAsync("/stats")).JsonAsync()).GetProperty("inspection_verdicts");

        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_inspection_verdicts_total"), l => Has(l, "mode", "block") && Has(l, "action", "allow") && MetricsScrape.Value(l) >= 1);
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_inspection_families_total"), l => Has(l, "family", "sqli") && MetricsScrape.Value(l) >= 1);
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_inspection_findings_total"), l => l.Contains("rule=\"sqli", StringComparison.Ordinal) && MetricsScrape.Value(l) >= 1);
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_inspection_duration_seconds_count"), l => Has(l, "route", "open") && MetricsScrape.Value(l) >= 2);
        Assert.Equal(1, stats.GetProperty("block").GetInt64());
        Assert.Equal(1, stats.GetProperty("allow").GetInt64());
    }

    private static bool Has(string line, string tag, string value) => line.Contains($"{tag}=\"{value}\"", StringComparison.Ordinal);
}
