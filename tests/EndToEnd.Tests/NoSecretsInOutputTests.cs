using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.Traffic;
using Analytics.Standalone;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Analytics.EndToEnd.Tests;

/// <summary>
/// Issue 12, item 12: the demo over Kafka (librdkafka's mock cluster) under every attack class of
/// the traffic generator, with logins, JWTs, API keys, wrong credentials and the admin API in use,
/// alerts going to Slack, a webhook and email (local listeners). Then every log line (all
/// categories, Debug and up, with their structured values), every message on every topic (keys,
/// values, headers), every alert delivered and every file the host wrote is scanned for the admin
/// token, the API keys, JWTs, the passwords and the webhook URLs. None may appear.
/// </summary>
public sealed partial class NoSecretsInOutputTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Secrets of the alert channels: Slack and webhook URLs carry their credential in the path or query.
    private const string SlackPath = "/services/T0SLACKSECRET/B0SLACKSECRET/slackhooksecret7f3a9c";
    private const string WebhookPath = "/hooks/webhooksecret5d21e8";
    private const string WebhookQuerySecret = "webhookquerysecret0b44";
    private const string WebhookSigningSecret = "webhook-signing-secret-93c1";
    private const string WrongAdminToken = "wrong-admin-token-guess-6e2f";
    private const string WrongApiKey = "guessed-api-key-b7d0";
    private const string ForgedJwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5Iiwic2NvcGUiOiJvcmRlcnM6d3JpdGUifQ.c2lnbmF0dXJlLWZvcmdlZA";

    private readonly string _data = StandaloneDemo.NewDataDirectory();
    private readonly ConcurrentQueue<string> _delivered = new();
    private readonly CapturingLoggerProvider _logs = new();
    private WebApplication _listener = null!;
    private TcpListener _smtp = null!;
    private CancellationTokenSource _stop = null!;
    private Task _smtpLoop = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _listener = builder.Build();
        _listener.MapPost("/{**path}", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            _delivered.Enqueue(string.Join('\n', request.Headers.Select(h => $"{h.Key}: {h.Value}")) + "\n\n" + await reader.ReadToEndAsync());
            return Results.Text("ok");
        });
        await _listener.StartAsync();

        _smtp = new TcpListener(IPAddress.Loopback, 0);
        _smtp.Start();
        _stop = new CancellationTokenSource();
        _smtpLoop = Task.Run(() => AcceptMailAsync(_stop.Token));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _smtp.Stop();
        try
        {
            await _smtpLoop;
        }
        catch (OperationCanceledException)
        {
        }

        await _listener.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task No_log_line_stream_message_alert_or_file_carries_a_secret()
    {
        using var cluster = new MockKafkaCluster();
        var kafka = cluster.Options("secrets");
        await cluster.CreateTopicsAsync(kafka);
        var listener = _listener.Urls.First().TrimEnd('/');
        var smtpPort = ((IPEndPoint)_smtp.LocalEndpoint).Port;
        var host = await StandaloneHost.StartAsync([], new StandaloneSettings
        {
            Demo = true,
            Overrides = new Dictionary<string, string?>(MockKafkaCluster.Settings(kafka))
            {
                ["Kestrel:Endpoints:Proxy:Url"] = "http://127.0.0.1:0",
                ["Sidecar:Admin:Url"] = "http://127.0.0.1:0",
                ["Sidecar:Admin:Token"] = StandaloneDemo.AdminToken,
                ["Demo:UpstreamUrl"] = "http://127.0.0.1:0",
                ["Streams:InProcess:DataDirectory"] = _data,
                ["Alerts:Slack:WebhookUrl"] = listener + SlackPath,
                ["Alerts:Slack:MinSeverity"] = "low",
                ["Alerts:Webhook:Url"] = $"{listener}{WebhookPath}?key={WebhookQuerySecret}",
                ["Alerts:Webhook:Secret"] = WebhookSigningSecret,
                ["Alerts:Webhook:MinSeverity"] = "info",
                ["Alerts:Email:Host"] = "127.0.0.1",
                ["Alerts:Email:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
                ["Alerts:Email:Security"] = "None",
                ["Alerts:Email:From"] = "alerts@demo.example",
                ["Alerts:Email:To:0"] = "secops@demo.example",
                ["Alerts:Email:MinSeverity"] = "low",
                // Every category at Debug: a secret must not hide one level below the shipped setting.
                ["Logging:LogLevel:Default"] = "Debug",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
                ["Logging:LogLevel:Yarp"] = "Debug",
                ["Logging:LogLevel:System.Net.Http"] = "Debug",
            },
            ConfigureBuilder = builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(_logs);
            },
        });

        var jwts = new List<string>();
        await using (host)
        {
            using var admin = LoopbackClient.Create(host.AdminUrl);
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneDemo.AdminToken);
            await Eventually(async () => (await admin.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "the sidecar to read the decisions topic");

            // Every attack class of the generator, with the benign mix around it (logins with the
            // demo passwords and wrong ones, JWTs, the demo API key).
            var traffic = TrafficOptions.Demo();
            traffic.Speed = 40;
            traffic.MaxRequests = 2500;
            var summary = await TrafficGenerator.RunHttpAsync(new Uri(host.ProxyUrl), traffic, CancellationToken.None);
            output.WriteLine($"traffic: {summary}");

            jwts.AddRange(await CredentialedRequestsAsync(host.ProxyUrl));
            await AdminApiAsync(host.AdminUrl, admin);

            // Let the analyzer decide and the alerts go out.
            await Eventually(() => Task.FromResult(!_delivered.IsEmpty && !Mail.IsEmpty), "alerts delivered to the webhook listeners and by email");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        var findings = new List<string>();
        var secrets = Secrets(jwts);
        Scan("log", _logs.Lines, secrets, findings);
        Scan("kafka", ReadEveryTopic(cluster.BootstrapServers), secrets, findings);
        Scan("alert delivery", _delivered, secrets, findings);
        Scan("email", Mail, secrets, findings);
        Scan("file", Directory.EnumerateFiles(_data, "*", SearchOption.AllDirectories).Select(f => $"{f}:\n{File.ReadAllText(f)}"), secrets, findings);
        output.WriteLine($"scanned {_logs.Lines.Count} log lines, {_delivered.Count} webhook deliveries, {Mail.Count} emails");

        Assert.True(findings.Count == 0, $"{findings.Count} secrets found:\n{string.Join("\n", findings.Take(40))}");
    }

    private ConcurrentQueue<string> Mail { get; } = new();

    /// <summary>Logins (right and wrong), JWTs used and forged, the API key right and wrong; returns the JWTs issued.</summary>
    private static async Task<List<string>> CredentialedRequestsAsync(string proxyUrl)
    {
        using var client = LoopbackClient.Create(proxyUrl, "127.0.3.7");
        var issued = new List<string>();
        foreach (var (user, password) in new[] { ("alice", "wonderland"), ("bob", "builder") })
        {
            using var login = await client.PostAsync("/api/login", Json($$"""{"username":"{{user}}","password":"{{password}}"}"""));
            var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
            issued.Add(token);
            using var read = new HttpRequestMessage(HttpMethod.Get, "/api/orders/7");
            read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.SendAsync(read)).Dispose();
            using var create = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = Json("""{"item":1,"qty":2}""") };
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.SendAsync(create)).Dispose();
            using var forbidden = new HttpRequestMessage(HttpMethod.Get, "/api/admin/report");
            forbidden.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.SendAsync(forbidden)).Dispose();
        }

        (await client.PostAsync("/api/login", Json("""{"username":"alice","password":"not-wonderland-9a"}"""))).Dispose();
        using (var forged = new HttpRequestMessage(HttpMethod.Get, "/api/orders/7"))
        {
            forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ForgedJwt);
            (await client.SendAsync(forged)).Dispose();
        }

        foreach (var key in new[] { "demo-reader-key", WrongApiKey })
        {
            using var items = new HttpRequestMessage(HttpMethod.Get, "/api/items/3?q=1' OR '1'='1");
            items.Headers.Add("X-Api-Key", key);
            (await client.SendAsync(items)).Dispose();
        }

        // A credential in the query string and in a cookie, where a careless logger would copy the URL or headers.
        (await client.GetAsync($"/api/items/4?api_key=demo-reader-key&access_token={issued[0]}")).Dispose();
        // The same with a valid key, so the request is forwarded (and the proxy's own logs see the query).
        using (var forwarded = new HttpRequestMessage(HttpMethod.Get, $"/api/items/6?api_key=demo-reader-key&access_token={issued[0]}"))
        {
            forwarded.Headers.Add("X-Api-Key", "demo-reader-key");
            (await client.SendAsync(forwarded)).Dispose();
        }

        using (var cookie = new HttpRequestMessage(HttpMethod.Get, "/api/items/5"))
        {
            cookie.Headers.Add("Cookie", $"session={issued[1]}");
            cookie.Headers.Add("X-Api-Key", "demo-reader-key");
            (await client.SendAsync(cookie)).Dispose();
        }

        return issued;
    }

    private static async Task AdminApiAsync(string adminUrl, HttpClient admin)
    {
        using (var created = await admin.PostAsync("/decisions", Json("""{"scope":"ip","value":"127.0.9.9","action":"block","reason":"manual","ttl_seconds":300}""")))
        {
            var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
            (await admin.GetAsync("/decisions")).Dispose();
            (await admin.DeleteAsync($"/decisions/{id}")).Dispose();
        }

        (await admin.PostAsync("/decisions", new StringContent("scope=ip", Encoding.UTF8, "text/plain"))).Dispose();
        (await admin.GetAsync("/stats")).Dispose();
        using var wrong = LoopbackClient.Create(adminUrl);
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WrongAdminToken);
        (await wrong.GetAsync("/decisions")).Dispose();
        (await wrong.PostAsync("/decisions", Json("""{"scope":"ip","value":"127.0.9.8","action":"block"}"""))).Dispose();

        // The browser sign-in page: a wrong token, then the right one, then a page with the session.
        using var browser = LoopbackClient.Create(adminUrl);
        foreach (var token in new[] { WrongAdminToken, StandaloneDemo.AdminToken })
        {
            var form = await browser.GetStringAsync("/signin");
            var csrf = Regex.Match(form, "name=\"csrf\" value=\"([^\"]+)\"").Groups[1].Value;
            using var signIn = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["csrf"] = csrf, ["token"] = token, ["returnUrl"] = "/decisions",
            }));
        }

        (await browser.GetAsync("/decisions")).Dispose();
    }

    private static List<(string Name, Regex Pattern)> Secrets(IEnumerable<string> jwts)
    {
        var literal = new Dictionary<string, string>
        {
            ["admin token"] = StandaloneDemo.AdminToken,
            ["wrong admin token"] = WrongAdminToken,
            ["demo API key"] = "demo-reader-key",
            ["wrong API key"] = WrongApiKey,
            ["wrong password"] = "not-wonderland-9a",
            ["Slack webhook URL"] = "slackhooksecret7f3a9c",
            ["Slack webhook path"] = "B0SLACKSECRET",
            ["webhook URL"] = "webhooksecret5d21e8",
            ["webhook URL query"] = WebhookQuerySecret,
            ["webhook signing secret"] = WebhookSigningSecret,
        };
        var patterns = literal.Select(kv => (kv.Key, new Regex(Regex.Escape(kv.Value), RegexOptions.CultureInvariant))).ToList();
        // The demo passwords are words: as whole words only (WebApplicationBuilder is not a password).
        patterns.Add(("password wonderland", new Regex(@"\bwonderland\b", RegexOptions.CultureInvariant)));
        patterns.Add(("password builder", new Regex(@"\bbuilder\b", RegexOptions.CultureInvariant)));
        // The generator's wrong passwords ("wrong-<n>") and any JWT, issued or forged.
        patterns.Add(("generated password", GeneratedPassword()));
        patterns.Add(("JWT", JwtShape()));
        patterns.AddRange(jwts.Select(j => ("issued JWT signature", new Regex(Regex.Escape(j[(j.LastIndexOf('.') + 1)..]), RegexOptions.CultureInvariant))));
        return patterns;
    }

    [GeneratedRegex(@"\bwrong-\d{1,3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex GeneratedPassword();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}", RegexOptions.CultureInvariant)]
    private static partial Regex JwtShape();

    private static void Scan(string source, IEnumerable<string> texts, List<(string Name, Regex Pattern)> secrets, List<string> findings)
    {
        foreach (var text in texts)
        {
            foreach (var (name, pattern) in secrets)
            {
                if (pattern.Match(text) is { Success: true } match)
                {
                    var from = Math.Max(0, match.Index - 120);
                    var excerpt = text.Substring(from, Math.Min(text.Length - from, 240)).ReplaceLineEndings(" ");
                    findings.Add($"[{source}] {name}: …{excerpt}…");
                }
            }
        }
    }

    /// <summary>Every message of every topic on the cluster, from the beginning: key, headers and value as text.</summary>
    private static List<string> ReadEveryTopic(string bootstrapServers)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).SetLogHandler((_, _) => { }).Build();
        var partitions = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics
            .Where(t => !t.Topic.StartsWith("__", StringComparison.Ordinal))
            .SelectMany(t => t.Partitions.Select(p => new TopicPartitionOffset(t.Topic, p.PartitionId, Offset.Beginning)))
            .ToList();
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "secret-scan-" + Guid.NewGuid().ToString("N"),
            EnablePartitionEof = true,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(partitions);
        var open = partitions.Select(p => p.TopicPartition).ToHashSet();
        var messages = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (open.Count > 0 && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                open.Remove(result.TopicPartition);
                continue;
            }

            var m = result.Message;
            var headers = m.Headers is null ? "" : string.Join(' ', m.Headers.Select(h => $"{h.Key}={Encoding.UTF8.GetString(h.GetValueBytes())}"));
            messages.Add($"{result.Topic} key={Text(m.Key)} {headers} {Text(m.Value)}");
        }

        Assert.True(open.Count == 0, $"could not read to the end of {string.Join(", ", open)}");
        Assert.Contains(messages, m => m.Contains("\"client_ip\"", StringComparison.Ordinal));
        return messages;
    }

    private static string Text(byte[]? bytes) => bytes is null ? "" : Encoding.UTF8.GetString(bytes);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"Gave up waiting for {what}");
    }

    // Just enough SMTP for MailKit without extensions (EHLO, MAIL, RCPT, DATA, QUIT); keeps each message as sent.
    private async Task AcceptMailAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _smtp.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            using (client)
            {
                await ServeAsync(client.GetStream(), cancellationToken);
            }
        }
    }

    private async Task ServeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost test SMTP");
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            switch (line.Split(' ', 2)[0].ToUpperInvariant())
            {
                case "EHLO" or "HELO":
                    await writer.WriteLineAsync("250 localhost");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(cancellationToken) is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine).Append('\n');
                    }

                    Mail.Enqueue(data.ToString());
                    await writer.WriteLineAsync("250 queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 ok");
                    break;
            }
        }
    }

    /// <summary>Keeps every log entry at every level: the message, the exception and each structured value.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                owner._lines.Enqueue($"scope {category} {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                owner._lines.Enqueue($"{logLevel} {category} {formatter(state, exception)} {values} {exception}");
            }
        }
    }
}
