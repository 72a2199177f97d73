using System.Net;
using System.Net.Sockets;

namespace Analytics.Messaging.Tests.Kafka;

/// <summary>
/// A TCP forwarder on a fixed loopback port, started after the fact: lets a test point a client
/// at an address where nothing listens and later "bring the broker back" on the same address.
/// </summary>
public sealed class LoopbackForwarder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];

    public LoopbackForwarder(int port, IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>A loopback port nothing listens on (bound once, then released).</summary>
    public static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                var outbound = new TcpClient();
                await outbound.ConnectAsync(_target, _stop.Token);
                lock (_clients)
                {
                    _clients.Add(inbound);
                    _clients.Add(outbound);
                }

                _ = PipeAsync(inbound.GetStream(), outbound.GetStream());
                _ = PipeAsync(outbound.GetStream(), inbound.GetStream());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PipeAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }
    }
}
