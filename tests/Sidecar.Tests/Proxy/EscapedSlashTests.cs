using System.Net.Sockets;
using System.Text;
using Analytics.Sidecar.Tests.Infrastructure;

namespace Analytics.Sidecar.Tests.Proxy;

/// <summary>
/// Encoded slashes and dot segments sent over a raw socket (HttpClient would normalise them
/// away) to a real sidecar in front of an upstream that records the targets it received: the
/// route the sidecar matched and the path the upstream reads must be the same one.
/// </summary>
public sealed class EscapedSlashTests
{
    private const string Confused = "/keys/1%2F..%2F..%2Fadmin%2Freport";

    [Theory]
    [InlineData(Confused)]
    [InlineData("/keys/1%2f..%2f..%2fadmin%2freport")]
    [InlineData("/keys/1%5C..%5C..%5Cadmin%5Creport")]
    [InlineData("/keys/1%252F..%252F..%252Fadmin%252Freport")]
    [InlineData("/open/a%2Fb")]
    [InlineData("/open/a%5C..%5Cb")]
    public async Task By_default_an_escaped_slash_is_refused_with_400_and_never_forwarded(string target)
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);

        var (status, head) = await SendAsync(sidecar, target);

        Assert.Equal(400, status);
        Assert.Contains("application/problem+json", head, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(sidecar.Upstream.RawTargets);
    }

    [Fact]
    public async Task KeepUnchanged_routes_on_the_path_as_sent_and_keeps_the_escape_as_data()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:Proxy:EscapedSlashes"] = "KeepUnchanged", captureEvents: false);

        var (status, _) = await SendAsync(sidecar, Confused);

        // The keys route matched, and the upstream gets one segment: YARP escapes the '%' it forwards.
        Assert.Equal(200, status);
        Assert.Equal("/keys/1%252F..%252F..%252Fadmin%252Freport", Assert.Single(sidecar.Upstream.RawTargets));
    }

    [Fact]
    public async Task UnescapeAndForward_routes_the_unescaped_normalised_path()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:Proxy:EscapedSlashes"] = "UnescapeAndForward", captureEvents: false);

        // /keys/1/../../admin/report is /admin/report: the admin route, which a reader may not use.
        var (confused, _) = await SendAsync(sidecar, Confused);
        var (plain, _) = await SendAsync(sidecar, "/open/a%2Fb%2F..%2Fc?q=1");

        Assert.Equal(403, confused);
        Assert.Equal(200, plain);
        Assert.Equal("/open/a/c?q=1", Assert.Single(sidecar.Upstream.RawTargets));
    }

    [Fact]
    public async Task UnescapeAndRedirect_sends_the_client_to_the_normalised_path()
    {
        await using var sidecar = await TestSidecar.StartAsync(c => c["Sidecar:Proxy:EscapedSlashes"] = "UnescapeAndRedirect", captureEvents: false);

        var (status, head) = await SendAsync(sidecar, Confused + "?q=1");

        Assert.Equal(307, status);
        Assert.Contains("Location: /admin/report?q=1\r\n", head, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(sidecar.Upstream.RawTargets);
    }

    [Theory]
    [InlineData("/open/a/%2e/b/../c", "/open/a/c")]
    [InlineData("/open/a/%252e%252e/b", "/open/b")]
    [InlineData("/open/a/.%252E/b", "/open/b")]
    [InlineData("/open/a/b/%252e", "/open/a/b/")]
    public async Task Dot_segments_are_removed_before_routing_and_the_upstream_receives_the_result(string target, string forwarded)
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);

        var (status, _) = await SendAsync(sidecar, target);

        Assert.Equal(200, status);
        Assert.Equal(forwarded, Assert.Single(sidecar.Upstream.RawTargets));
    }

    [Theory]
    [InlineData("/open/%2E%2E/admin/report")]
    [InlineData("/open/%252E%252E/admin/report")]
    public async Task A_dot_dot_segment_cannot_leave_the_matched_route(string target)
    {
        await using var sidecar = await TestSidecar.StartAsync(captureEvents: false);

        // Normalised, the target is /admin/report: the admin route answers, not the open one.
        var (status, _) = await SendAsync(sidecar, target);

        Assert.Equal(401, status);
        Assert.Empty(sidecar.Upstream.RawTargets);
    }

    /// <summary>One GET over a fresh connection with the reader's API key; the status and the response head.</summary>
    private static async Task<(int Status, string Head)> SendAsync(TestSidecar sidecar, string target)
    {
        var uri = new Uri(sidecar.ProxyUrl);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        var apiKey = target.StartsWith("/keys/", StringComparison.Ordinal) ? $"X-Api-Key: {TestSidecar.ReaderKey}\r\n" : "";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: a\r\n{apiKey}Connection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var head = response[..Math.Max(0, response.IndexOf("\r\n\r\n", StringComparison.Ordinal))] + "\r\n";
        return (int.Parse(response.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), head);
    }
}
