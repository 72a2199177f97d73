using System.Net;
using Analytics.ServiceDefaults.Hosting;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Routes;

/// <summary>A YARP route without a <c>Sidecar:Routes</c> entry: a start-up error unless <c>Sidecar:DefaultRoutePolicy</c> covers it.</summary>
public sealed class DefaultRoutePolicyTests
{
    [Fact]
    public async Task A_route_without_a_policy_stops_start_up_naming_the_route()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var config = TestSidecar.BaseConfiguration(upstream);
        config.Remove("Sidecar:DefaultRoutePolicy:Auth");

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = TestSidecar.Build(config);
            await app.StartAsync();
        });

        var problem = Assert.Single(ServiceRunner.ConfigurationProblems(error), p => p.Contains("Sidecar:Routes:closed", StringComparison.Ordinal));
        Assert.Contains("no policy", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public async Task The_default_policy_applies_to_routes_without_one()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:DefaultRoutePolicy:Roles:0"] = "reader", captureEvents: false);
        using var client = sidecar.Client();

        using var anonymous = await client.GetWithAsync("/closed/x");
        using var withoutRole = await client.GetWithAsync("/closed/x", apiKey: TestSidecar.PlainKey);
        using var reader = await client.GetWithAsync("/closed/x", apiKey: TestSidecar.ReaderKey);
        // A route with its own entry is not touched by the default.
        using var open = await client.GetWithAsync("/open/x");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withoutRole.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    [Theory]
    [InlineData("Sidecar:DefaultRoutePolicy:Auth", "public", "Sidecar:DefaultRoutePolicy:Auth")]
    [InlineData("Sidecar:DefaultRoutePolicy:RateLimitPolicy", "missing", "Sidecar:DefaultRoutePolicy:RateLimitPolicy")]
    [InlineData("Sidecar:DefaultRoutePolicy:Rolez:0", "x", "Rolez")]
    public async Task A_bad_default_policy_stops_start_up_naming_the_key(string key, string value, string named)
    {
        await using var upstream = await TestUpstream.StartAsync();
        var config = TestSidecar.BaseConfiguration(upstream);
        config[key] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = TestSidecar.Build(config);
            await app.StartAsync();
        });

        Assert.Contains(ServiceRunner.ConfigurationProblems(error), p => p.Contains(named, StringComparison.Ordinal));
    }
}
