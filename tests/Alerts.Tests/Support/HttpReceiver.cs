using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Analytics.Alerts.Tests.Support;

/// <summary>
/// A real Kestrel listener on a loopback port that plays Slack or a webhook receiver: it records
/// every request and answers as <see cref="Respond"/> says (by attempt number, from 1).
/// </summary>
internal sealed class HttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private int _attempts;

    private HttpReceiver(WebApplication app) => _app = app;

    /// <summary>Status code and optional Retry-After seconds for the n-th request (1-based).</summary>
    public Func<int, (int Status, int? RetryAfterSeconds)> Respond { get; set; } = _ => (200, null);

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request, in arrival order, whatever it was answered.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>The requests answered 2xx.</summary>
    public IReadOnlyList<ReceivedRequest> Accepted => [.. _requests.Where(r => r.Status is >= 200 and < 300)];

    public static async Task<HttpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Not the appsettings.json beside the test binaries (Standalone's names the proxy's port 8080).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new HttpReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Urls.First().TrimEnd('/');
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var attempt = Interlocked.Increment(ref _attempts);
        var (status, retryAfter) = Respond(attempt);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new ReceivedRequest(context.Request.Path + context.Request.QueryString, headers, body.ToArray(), DateTimeOffset.UtcNow, status));
        context.Response.StatusCode = status;
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(status == 200 ? "ok" : "error");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
