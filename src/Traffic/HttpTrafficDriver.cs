using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Analytics.Detection.Features;

namespace Analytics.Traffic;

/// <summary>
/// Plays a traffic plan as real HTTP: each simulated client gets its own 127.x.y.z source
/// address (the socket is bound before connecting), logins yield real JWTs, and the demo API
/// key is sent where the plan says so.
/// </summary>
internal sealed class HttpTrafficDriver(Uri baseUrl, TrafficOptions options)
{
    private const string DemoApiKey = "demo-reader-key";
    private static readonly (string User, string Password)[] DemoUsers = [("alice", "wonderland"), ("bob", "builder")];
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _addresses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, int> _statuses = new();
    private int _failed;

    public async Task<TrafficRunSummary> RunAsync(CancellationToken cancellationToken)
    {
        var plan = new TrafficPlanner(options).Plan();
        using var gate = new SemaphoreSlim(options.Concurrency);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        var sent = 0;
        try
        {
            foreach (var p in plan)
            {
                if (sent >= options.MaxRequests || clock.Elapsed >= options.MaxWallTime || cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                var due = TimeSpan.FromTicks((long)(p.At.Ticks / Math.Max(options.Speed, 0.001)));
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < options.MaxWallTime ? wait : options.MaxWallTime, cancellationToken);
                }

                await gate.WaitAsync(cancellationToken);
                sent++;
                inFlight.Add(SendAsync(p, gate, cancellationToken));
                if (inFlight.Count > 1024)
                {
                    inFlight.RemoveAll(t => t.IsCompleted);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(inFlight);
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        return new TrafficRunSummary(sent, _failed, new Dictionary<int, int>(_statuses), new Dictionary<string, string>(_addresses));
    }

    private async Task SendAsync(PlannedRequest p, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        try
        {
            var client = Client(p.Ip);
            using var request = await BuildAsync(client, p, cancellationToken);
            using var response = await client.SendAsync(request, cancellationToken);
            _statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
            if (p.RouteId == "login" && response.IsSuccessStatusCode && p.User is not null)
            {
                await RememberTokenAsync(DemoUser(p.User).User, response, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or SocketException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<HttpRequestMessage> BuildAsync(HttpClient client, PlannedRequest p, CancellationToken ct)
    {
        var uri = new Uri(baseUrl, p.Path + (p.Query is { } q ? "?" + EscapeQuery(q) : ""));
        var request = new HttpRequestMessage(new HttpMethod(p.Method), uri);
        if (p.UserAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", p.UserAgent);
        }

        if (p.RouteId == "login")
        {
            var (user, password) = p.PasswordOk && p.User is not null ? DemoUser(p.User) : (p.User ?? "nobody", "wrong-" + p.At.Ticks % 997);
            request.Content = JsonContent.Create(new Dictionary<string, string> { ["username"] = user, ["password"] = password });
        }
        else if (p.Method == "POST")
        {
            request.Content = JsonContent.Create(new Dictionary<string, object> { ["item_id"] = 1 + (p.At.Ticks % 1000), ["quantity"] = 1 });
        }

        switch (p.Credential)
        {
            case Credential.ApiKey:
                request.Headers.Add("X-Api-Key", DemoApiKey);
                break;
            case Credential.Jwt when p.User is not null:
                var token = await TokenAsync(client, DemoUser(p.User).User, ct);
                if (token is not null)
                {
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                }

                break;
        }

        return request;
    }

    private async Task<string?> TokenAsync(HttpClient client, string user, CancellationToken ct)
    {
        if (_tokens.TryGetValue(user, out var token))
        {
            return token;
        }

        var password = DemoUsers.First(u => u.User == user).Password;
        using var response = await client.PostAsJsonAsync(new Uri(baseUrl, "/api/login"), new Dictionary<string, string> { ["username"] = user, ["password"] = password }, ct);
        return response.IsSuccessStatusCode ? await RememberTokenAsync(user, response, ct) : null;
    }

    private async Task<string?> RememberTokenAsync(string user, HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            if (doc.RootElement.TryGetProperty("access_token", out var t) && t.GetString() is { } token)
            {
                _tokens[user] = token;
                return token;
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static (string User, string Password) DemoUser(string plannedUser) => plannedUser is "alice" or "bob"
        ? DemoUsers.First(u => u.User == plannedUser)
        : DemoUsers[(int)(Sketch.Hash(plannedUser) % 2)];

    private static string EscapeQuery(string query)
    {
        var eq = query.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? Uri.EscapeDataString(query) : query[..(eq + 1)] + Uri.EscapeDataString(query[(eq + 1)..]);
    }

    private HttpClient Client(string plannedIp) => _clients.GetOrAdd(plannedIp, ip =>
    {
        var n = _addresses.Count + 1;
        var local = IPAddress.Parse($"127.1.{(n / 250) % 256}.{(n % 250) + 2}");
        _addresses[ip] = local.ToString();
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = 8,
            ConnectCallback = async (context, ct) =>
            {
                // Bind the source address so the sidecar (which trusts no forwarded headers in the demo) sees a distinct client.
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    });
}
