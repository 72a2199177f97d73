using System.Net;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Telemetry;

/// <summary>The sidecar as operators watch it: the caller's trace continued to the upstream and into the event, and its counters on /metrics.</summary>
[Collection(ProcessWideMetricsCollection.Name)]
public sealed class TraceAndMetricsTests
{
    [Fact]
    public async Task A_callers_traceparent_goes_through_the_sidecar_to_the_upstream_and_into_the_request_event()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/open/traced");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await client.SendAsync(request);
        var upstreamTraceparent = sidecar.Upstream.LastHeaders?["traceparent"].ToString() ?? "";
        var evt = await sidecar.EventAsync(e => e.Path == "/open/traced");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Same trace, a new parent span (the sidecar's own).
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-0[01]$", upstreamTraceparent);
        Assert.DoesNotContain("00f067aa0ba902b7", upstreamTraceparent, StringComparison.Ordinal);
        Assert.Equal(traceId, evt.TraceId);
    }

    [Fact]
    public async Task A_callers_tracestate_reaches_the_upstream_once()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/open/tracestate");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        request.Headers.Add("tracestate", "vendor=opaque");

        using var response = await client.SendAsync(request);
        var upstream = sidecar.Upstream.LastHeaders;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(upstream);
        Assert.Equal("vendor=opaque", Assert.Single(upstream["tracestate"].ToArray()));
        Assert.Single(upstream["traceparent"].ToArray());
    }

    [Fact]
    public async Task A_request_without_traceparent_starts_a_trace_the_upstream_and_the_event_share()
    {
        await using var sidecar = await TestSidecar.StartAsync();
        using var client = sidecar.Client();

        using var response = await client.GetAsync("/open/untraced");
        var upstreamTraceparent = sidecar.Upstream.LastHeaders?["traceparent"].ToString() ?? "";
        var evt = await sidecar.EventAsync(e => e.Path == "/open/untraced");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", evt.TraceId ?? "");
        Assert.StartsWith($"00-{evt.TraceId}-", upstreamTraceparent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_request_counter_moves_on_the_metrics_scrape()
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);
        using var client = sidecar.Client();
        using var admin = sidecar.Admin();
        using var anonymous = sidecar.Admin(withToken: false);

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/open/counted");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var before = await RequestCountAsync(admin, atLeast: 3);
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync("/open/counted");
        }

        var after = await RequestCountAsync(admin, atLeast: before + 2);
        using var denied = await anonymous.GetAsync("/metrics");

        Assert.True(after >= before + 2, $"{before} -> {after}");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
    }

    [Fact]
    public async Task A_request_in_progress_counts_as_active_until_it_is_done()
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);
        using var client = sidecar.Client();
        using var admin = sidecar.Admin();

        var gate = new TaskCompletionSource();
        using var held = new HttpRequestMessage(HttpMethod.Post, "/open/held") { Content = new HeldContent(gate.Task) };
        var heldTask = client.SendAsync(held);
        // Held in the sidecar (inspection waits for the body) or at the upstream: in progress either way.
        var during = await MetricsScrape.UntilAsync(admin, "analytics_sidecar_requests_active", l => MetricsScrape.Value(l) == 1);
        gate.SetResult();
        using (var response = await heldTask)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var after = await MetricsScrape.UntilAsync(admin, "analytics_sidecar_requests_active", l => MetricsScrape.Value(l) == 0);

        Assert.Contains(MetricsScrape.Series(during, "analytics_sidecar_requests_active"), l => MetricsScrape.Value(l) == 1);
        Assert.Contains(MetricsScrape.Series(after, "analytics_sidecar_requests_active"), l => MetricsScrape.Value(l) == 0);
    }

    [Fact]
    public async Task The_scrape_splits_requests_by_route_outcome_and_step_and_stats_reads_the_same_counts()
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);
        using var client = sidecar.Client();
        using var admin = sidecar.Admin();
        using (var ok = await client.GetAsync("/open/seen"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var refused = await client.GetAsync("/keys/seen"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var added = await admin.PostAsync("/decisions", new StringContent(
                   """{"scope":"ip","value":"127.0.0.77","action":"block","reason":"manual","ttl_seconds":300}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        using var statsResponse = await admin.GetAsync("/stats");
        var stats = await statsResponse.JsonAsync();
        // Events are published by the telemetry loop after the response, so wait for that count too.
        await MetricsScrape.UntilAsync(admin, "analytics_sidecar_telemetry_published_total", l => MetricsScrape.Value(l) >= 2);
        var text = await MetricsScrape.UntilAsync(admin, "analytics_sidecar_requests_total{", l => l.Contains("refused_by=\"authentication\"", StringComparison.Ordinal));

        Assert.Equal(2, stats.GetProperty("requests").GetInt64());
        Assert.Equal(1, stats.GetProperty("rejections").GetProperty("authentication").GetInt64());
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_requests_total"), l =>
            l.Contains("route=\"open\"", StringComparison.Ordinal) && l.Contains("outcome=\"forwarded\"", StringComparison.Ordinal) && MetricsScrape.Value(l) >= 1);
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_requests_total"), l =>
            l.Contains("route=\"keys\"", StringComparison.Ordinal) && l.Contains("outcome=\"refused\"", StringComparison.Ordinal)
            && l.Contains("refused_by=\"authentication\"", StringComparison.Ordinal) && MetricsScrape.Value(l) >= 1);
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_request_duration_seconds_count"), l => l.Contains("route=\"open\"", StringComparison.Ordinal));
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_upstream_duration_seconds_count"), l => l.Contains("route=\"open\"", StringComparison.Ordinal) && MetricsScrape.Value(l) >= 1);
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_telemetry_published_total"), l => MetricsScrape.Value(l) >= 2);
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_telemetry_dropped_total"), l => l.Contains("stage=\"buffer\"", StringComparison.Ordinal));
        Assert.Contains(MetricsScrape.Series(text, "analytics_sidecar_decisions_active"), l =>
            l.Contains("scope=\"ip\"", StringComparison.Ordinal) && l.Contains("source=\"manual\"", StringComparison.Ordinal) && MetricsScrape.Value(l) >= 1);

        // Both requests are done and in the counts, so none is active.
        var settled = await MetricsScrape.UntilAsync(admin, "analytics_sidecar_requests_active", l => MetricsScrape.Value(l) == 0);
        Assert.Contains(MetricsScrape.Series(settled, "analytics_sidecar_requests_active"), l => MetricsScrape.Value(l) == 0);

        // The framework's per-request instruments are dropped: the sidecar's own request and
        // upstream histograms replace its duration histograms, and its bookkeeping ones tell
        // nothing an operator asks (the proxied request opened an upstream connection, which
        // would otherwise show as http_client_open_connections). Per-connection ones stay.
        Assert.DoesNotContain("http_server_request_duration", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http_server_active_requests", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http_client_request_duration", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_memory_pool", text, StringComparison.Ordinal);
        Assert.Contains("kestrel_active_connections", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http_client_open_connections", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http_client_active_requests", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_routing_match_attempts", text, StringComparison.Ordinal);
    }

    /// <summary>Sums analytics_sidecar_requests_total over its label sets; scrapes again (bounded) while the exporter's short cache is stale.</summary>
    private static async Task<double> RequestCountAsync(HttpClient admin, double atLeast)
    {
        double total = 0;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var text = await admin.GetStringAsync("/metrics");
            total = text.Split('\n')
                .Where(l => l.StartsWith("analytics_sidecar_requests_total", StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            if (total >= atLeast)
            {
                return total;
            }

            await Task.Delay(100);
        }

        return total;
    }
}
