using System.Net;
using System.Net.Sockets;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Proxy;

/// <summary>An upstream that refuses or never answers gets the caller a 502 or 504 problem+json naming the request, and the sidecar stays healthy.</summary>
public sealed class UpstreamFailureTests
{
    [Fact]
    public async Task A_refused_connection_is_a_502_problem_with_the_request_id()
    {
        // A port that was just free: nothing listens, so the connection is refused.
        var port = FreePort();
        await using var sidecar = await TestSidecar.StartAsync(c => c["ReverseProxy:Clusters:up:Destinations:d1:Address"] = $"http://127.0.0.1:{port}/");
        using var client = sidecar.Client();
        client.Timeout = TimeSpan.FromSeconds(60);

        using var response = await client.GetAsync("/open/x");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await AssertProblemNamingTheRequest(response, 502);
        var seen = await sidecar.EventAsync(e => e.RequestId == response.RequestId());
        Assert.Equal("upstream", seen.RejectedBy);
        await AssertHealthy(sidecar);
    }

    [Fact]
    public async Task An_upstream_that_accepts_and_never_answers_is_a_504_problem_after_the_activity_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await silent.AcceptTcpClientAsync());
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The listener was stopped.
            }
        });

        try
        {
            await using var sidecar = await TestSidecar.StartAsync(c =>
            {
                c["ReverseProxy:Clusters:up:Destinations:d1:Address"] = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/";
                c["Sidecar:Proxy:Upstream:ActivityTimeout"] = "00:00:01";
            });
            using var client = sidecar.Client();
            // Far longer than the setting, far shorter than YARP's own 100 s default.
            client.Timeout = TimeSpan.FromSeconds(30);

            using var response = await client.GetAsync("/open/x");

            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            await AssertProblemNamingTheRequest(response, 504);
            await AssertHealthy(sidecar);
        }
        finally
        {
            silent.Stop();
            await accepting;
            accepted.ForEach(c => c.Dispose());
        }
    }

    [Theory]
    [InlineData("Sidecar:Proxy:Upstream:ConnectTimeout", "00:00:00")]
    [InlineData("Sidecar:Proxy:Upstream:ActivityTimeout", "02:00:00")]
    [InlineData("Sidecar:Proxy:Upstream:CaCertificateFile", "/nonexistent/ca.pem")]
    public async Task Bad_upstream_settings_stop_start_up_naming_the_key(string key, string value)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => TestSidecar.StartAsync(c => c[key] = value));
        Assert.Contains(ServiceDefaults.Hosting.ServiceRunner.ConfigurationProblems(ex), p => p.StartsWith(key, StringComparison.Ordinal));
    }

    private static async Task AssertProblemNamingTheRequest(HttpResponseMessage response, int status)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(response.RequestId(), problem.GetProperty("request_id").GetString());
    }

    private static async Task AssertHealthy(TestSidecar sidecar)
    {
        using var admin = sidecar.Admin(withToken: false);
        using var health = await admin.GetAsync("/healthz");
        using var ready = await admin.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
