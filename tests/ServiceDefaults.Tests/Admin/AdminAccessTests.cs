using System.Net;
using Analytics.ServiceDefaults.Admin;
using Analytics.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.ServiceDefaults.Tests.Admin;

public sealed class AdminAccessTests
{
    [Fact]
    public async Task Probes_answer_without_a_token_and_say_only_their_status()
    {
        await using var host = await AdminHost.StartAsync();
        using var client = host.Client();

        using var healthz = await client.GetAsync("/healthz");
        using var readyz = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal("Healthy", await healthz.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        Assert.Equal("Healthy", await readyz.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_registered_readiness_check_gates_readyz_without_naming_itself()
    {
        var ready = false;
        await using var host = await AdminHost.StartAsync(configure: b => b.Services.AddReadinessCheck("consumer-assigned", _ => ready));
        using var client = host.Client();

        using var before = await client.GetAsync("/readyz");
        var beforeBody = await before.Content.ReadAsStringAsync();
        ready = true;
        using var after = await client.GetAsync("/readyz");
        using var healthz = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Equal("Unhealthy", beforeBody);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    [Fact]
    public async Task Admin_endpoints_require_the_admin_token()
    {
        await using var host = await AdminHost.StartAsync();
        using var anonymous = host.Client();
        using var wrong = host.Client("not-the-admin-token-at-all");
        using var admin = host.Client(AdminHost.Token);

        using var none = await anonymous.GetAsync("/things");
        using var bad = await wrong.GetAsync("/things");
        using var good = await admin.GetAsync("/things");
        using var viaHeader = new HttpRequestMessage(HttpMethod.Get, "/things") { Headers = { { "X-Admin-Token", AdminHost.Token } } };
        using var header = await anonymous.SendAsync(viaHeader);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
    }

    [Fact]
    public async Task A_browser_without_a_session_is_sent_to_the_sign_in_page_with_its_way_back()
    {
        await using var host = await AdminHost.StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(host.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/things?x=1");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?returnUrl=%2Fthings%3Fx%3D1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_metrics_token_opens_metrics_and_nothing_else()
    {
        await using var host = await AdminHost.StartAsync(new Dictionary<string, string?> { ["Test:Admin:MetricsToken"] = AdminHost.MetricsToken });
        using var scraper = host.Client(AdminHost.MetricsToken);
        using var anonymous = host.Client();

        using var metrics = await scraper.GetAsync("/metrics");
        using var things = await scraper.GetAsync("/things");
        using var open = await anonymous.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, things.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, open.StatusCode);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/hangfire/jobs?x=1", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("", false)]
    public void Only_local_return_urls_are_followed(string url, bool local) =>
        Assert.Equal(local, AdminSignIn.IsLocal(url));
}
