using System.Net.Sockets;
using System.Text;
using Analytics.Sidecar.Tests.Inspection;

namespace Analytics.Sidecar.Tests.Proxy;

/// <summary>
/// Ambiguous framing sent over a raw socket: what Kestrel rejects itself and what reaches the
/// guard. Either way the client must get a 400 and the upstream nothing.
/// </summary>
public sealed class RequestNormalizationGuardTests
{
    [Theory]
    [InlineData("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")]
    [InlineData("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello")]
    [InlineData("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("GET /x HTTP/1.1\r\nHost: a\r\nX-Test: a\0b\r\n\r\n")]
    [InlineData("GET /x HTTP/1.1\r\nHost: a\r\nX-Test: a\rb\r\n\r\n")]
    [InlineData("GET /x%00.jpg HTTP/1.1\r\nHost: a\r\n\r\n")]
    public async Task Ambiguous_requests_get_400_and_never_reach_the_upstream(string raw)
    {
        await using var h = await ProxyHarness.StartAsync();

        var status = await SendRawAsync(h.ProxyAddress, raw);

        Assert.Equal(400, status);
        Assert.Empty(h.Upstream);
    }

    [Fact]
    public async Task A_plain_chunked_request_passes()
    {
        await using var h = await ProxyHarness.StartAsync();

        var status = await SendRawAsync(h.ProxyAddress, "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

        Assert.Equal(200, status);
    }

    private static async Task<int> SendRawAsync(string address, string request)
    {
        var uri = new Uri(address);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var buffer = new byte[1024];
        var n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var line = Encoding.ASCII.GetString(buffer, 0, n);
        return int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
