using System.Net;
using System.Net.Sockets;

namespace Analytics.Tests.Shared;

/// <summary>HTTP clients whose connections leave from a chosen loopback address, so one test can play many clients.</summary>
internal static class LoopbackClient
{
    /// <summary>A client for <paramref name="baseUrl"/> whose connections come from <paramref name="localAddress"/> (any 127.x address on Linux).</summary>
    public static HttpClient Create(string baseUrl, string localAddress = "127.0.0.1")
    {
        var local = IPAddress.Parse(localAddress);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }
}
