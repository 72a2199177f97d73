using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MimeKit;
using Xunit.Abstractions;

namespace Analytics.Standalone.Tests;

/// <summary>
/// The demo end to end with real channels: a brute force from one address through the sidecar
/// gives one Slack message (to a local listener) and one email (to a local SMTP server) that name
/// the address, the decision and the command that lifts it.
/// </summary>
public sealed class AlertDeliveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Attacker = "127.0.0.91";
    private readonly string _data = StandaloneDemo.NewDataDirectory();
    private readonly ConcurrentQueue<string> _slack = new();
    private readonly ConcurrentQueue<MimeMessage> _mail = new();
    private WebApplication _slackListener = null!;
    private TcpListener _smtp = null!;
    private CancellationTokenSource _stop = null!;
    private Task _smtpLoop = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Not the appsettings.json beside the test binaries (Standalone's names the proxy's port 8080).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _slackListener = builder.Build();
        _slackListener.MapPost("/services/demo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            _slack.Enqueue(await reader.ReadToEndAsync());
            return Results.Text("ok");
        });
        await _slackListener.StartAsync();

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

        await _slackListener.DisposeAsync();
        _stop.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_brute_force_gives_one_Slack_message_and_one_email_naming_the_address_the_decision_and_the_lift_command()
    {
        var smtpPort = ((IPEndPoint)_smtp.LocalEndpoint).Port;
        await using var host = await StandaloneDemo.StartDemoAsync(_data, extra: new Dictionary<string, string?>
        {
            ["Alerts:Slack:WebhookUrl"] = _slackListener.Urls.First().TrimEnd('/') + "/services/demo",
            ["Alerts:Slack:MinSeverity"] = "low",
            ["Alerts:Email:Host"] = "127.0.0.1",
            ["Alerts:Email:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Alerts:Email:Security"] = "None",
            ["Alerts:Email:From"] = "alerts@demo.example",
            ["Alerts:Email:To:0"] = "secops@demo.example",
            ["Alerts:Email:MinSeverity"] = "low",
            ["Alerts:KibanaUrl"] = "http://localhost:5601",
        });

        using var attacker = LoopbackClient.Create(host.ProxyUrl, Attacker);
        for (var i = 0; i < 200; i++)
        {
            using var response = await attacker.PostAsync("/api/login", new StringContent(
                $$"""{"username":"alice","password":"guess-{{i}}"}""", Encoding.UTF8, "application/json"));
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                break;
            }

            await Task.Delay(10);
        }

        using var admin = LoopbackClient.Create(host.AdminUrl);
        admin.DefaultRequestHeaders.Authorization = new("Bearer", StandaloneDemo.AdminToken);
        var decisions = JsonDocument.Parse(await admin.GetStringAsync("/decisions")).RootElement;
        var decisionId = decisions.EnumerateArray().Single(d => d.GetProperty("value").GetString() == Attacker).GetProperty("id").GetString()!;

        await Until(() => SlackAbout(Attacker).Count >= 1 && MailAbout(Attacker).Count >= 1, "a Slack message and an email about the attacker");
        // Repeats of the same alert within the dedup window must not reach people again.
        await Task.Delay(TimeSpan.FromSeconds(4));

        var slack = Assert.Single(SlackAbout(Attacker));
        var mail = Assert.Single(MailAbout(Attacker));
        output.WriteLine("SLACK PAYLOAD");
        output.WriteLine(JsonSerializer.Serialize(JsonDocument.Parse(slack).RootElement, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        output.WriteLine("EMAIL HTML");
        output.WriteLine(mail.HtmlBody);

        var slackText = Strings(JsonDocument.Parse(slack).RootElement);
        foreach (var text in new[] { slackText, mail.TextBody, mail.HtmlBody })
        {
            Assert.Contains($"ip:{Attacker}", text);
            Assert.Contains(decisionId, text);
            Assert.Contains($"{host.AdminUrl}/decisions/{decisionId}", text);
            Assert.Contains("curl -X DELETE", text);
        }

        Assert.Contains("block", mail.TextBody);
        Assert.Contains("brute_force", mail.Subject);

        // The lift command works as written.
        using var lift = await admin.DeleteAsync($"/decisions/{decisionId}");
        Assert.True(lift.IsSuccessStatusCode, $"DELETE /decisions/{decisionId}: {(int)lift.StatusCode}");
    }

    private List<string> SlackAbout(string address) => [.. _slack.Where(s => Strings(JsonDocument.Parse(s).RootElement).Contains($"ip:{address}", StringComparison.Ordinal))
        .Where(s => Strings(JsonDocument.Parse(s).RootElement).Contains("brute_force", StringComparison.Ordinal))];

    private List<MimeMessage> MailAbout(string address) => [.. _mail.Where(m => m.Subject is { } s && s.Contains($"ip:{address}", StringComparison.Ordinal) && s.Contains("brute_force", StringComparison.Ordinal))];

    private static string Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() + "\n",
        JsonValueKind.Object => string.Concat(e.EnumerateObject().Select(p => Strings(p.Value))),
        JsonValueKind.Array => string.Concat(e.EnumerateArray().Select(Strings)),
        _ => "",
    };

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting for {what}");
            await Task.Delay(100);
        }
    }

    // Just enough SMTP for MailKit without extensions (EHLO, MAIL, RCPT, DATA, QUIT); each message is parsed with MimeKit.
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
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await writer.WriteLineAsync("250 localhost");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(cancellationToken) is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }

                    _mail.Enqueue(MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(data.ToString())), cancellationToken));
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
}
