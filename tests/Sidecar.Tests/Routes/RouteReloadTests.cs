using System.Net;
using Analytics.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Sidecar.Tests.Routes;

/// <summary>Route policies are compiled once and rebuilt when YARP's routes or <c>Sidecar:Routes</c> reload; a bad reload changes nothing.</summary>
public sealed class RouteReloadTests
{
    [Fact]
    public async Task A_valid_sidecar_routes_change_applies_on_reload()
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);
        using var client = sidecar.Client();
        using (var before = await client.GetAsync("/closed/x"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        }

        Reload(sidecar, ("Sidecar:Routes:closed:Auth", "anonymous"));

        using var after = await client.GetAsync("/closed/x");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_change_that_fails_validation_is_refused_and_the_old_policies_keep_serving()
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);
        using var client = sidecar.Client();

        // One valid edit and one invalid in the same reload: neither applies.
        Reload(sidecar, ("Sidecar:Routes:closed:Auth", "anonymous"), ("Sidecar:Routes:open:Auth", "sometimes"));

        using var closed = await client.GetAsync("/closed/x");
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
        using var open = await client.GetAsync("/open/x");
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    [Fact]
    public async Task A_route_added_to_yarp_and_sidecar_routes_is_served_with_its_policy()
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);
        using var client = sidecar.Client();

        Reload(sidecar,
            ("ReverseProxy:Routes:fresh:ClusterId", "up"),
            ("ReverseProxy:Routes:fresh:Match:Path", "/fresh/{**rest}"),
            ("Sidecar:Routes:fresh:Roles:0", "reader"));

        // YARP applies its new config asynchronously.
        await HttpExtensions.EventuallyAsync(async () =>
        {
            using var anonymous = await client.GetAsync("/fresh/x");
            return anonymous.StatusCode == HttpStatusCode.Unauthorized;
        }, "the new route to be served");
        using var reader = await client.GetWithAsync("/fresh/x", apiKey: TestSidecar.ReaderKey);
        Assert.Equal(HttpStatusCode.OK, reader.StatusCode);
        using var plain = await client.GetWithAsync("/fresh/x", apiKey: TestSidecar.PlainKey);
        Assert.Equal(HttpStatusCode.Forbidden, plain.StatusCode);
    }

    private static void Reload(TestSidecar sidecar, params (string Key, string Value)[] changes)
    {
        var configuration = (IConfigurationRoot)sidecar.Services.GetRequiredService<IConfiguration>();
        foreach (var (key, value) in changes)
        {
            configuration[key] = value;
        }

        configuration.Reload();
    }
}
