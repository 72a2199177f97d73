using System.Collections.Concurrent;
using System.Text;
using Analytics.Tools.Cli;
using Analytics.Tools.Tests.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Analytics.Tools.Tests.Offline;

/// <summary>
/// <c>report --elasticsearch</c> against a loopback endpoint that plays the cluster: the services'
/// credential keys from the environment reach it, and each error answer is one line and its exit
/// code, never a stack trace.
/// </summary>
public sealed class ReportCommandTests : IAsyncLifetime, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("analytics-report-").FullName;
    private readonly ConcurrentQueue<string?> _authorization = new();
    private WebApplication _es = null!;
    private string _url = "";
    private int _status = 401;
    private string _type = "security_exception";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _es = builder.Build();
        _es.Run(async context =>
        {
            _authorization.Enqueue(context.Request.Headers.Authorization.ToString());
            context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
            context.Response.ContentType = "application/json";
            context.Response.StatusCode = _status;
            await context.Response.WriteAsync($"{{\"error\":{{\"root_cause\":[{{\"type\":\"{_type}\",\"reason\":\"no\"}}],\"type\":\"{_type}\",\"reason\":\"no\"}},\"status\":{_status}}}");
        });
        await _es.StartAsync();
        _url = _es.Urls.First();
    }

    public async Task DisposeAsync()
    {
        await _es.StopAsync();
        await _es.DisposeAsync();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(401, "security_exception", ExitCodes.Unauthorized, "refused the credentials")]
    [InlineData(404, "index_not_found_exception", ExitCodes.NotFound, "no data stream logs-analytics.requests-prod")]
    [InlineData(503, "search_phase_execution_exception", ExitCodes.Failed, "answered 503")]
    public async Task An_error_answer_is_one_line_and_its_exit_code(int status, string type, int exitCode, string message)
    {
        (_status, _type) = (status, type);

        var run = await RunAsync(new()
        {
            ["Search__Elasticsearch__Username"] = "reporter",
            ["Search__Elasticsearch__Password"] = "s3cret-pw",
            ["Search__Namespace"] = "prod",
        }, "report", "--from", "2026-11-01", "--to", "2026-11-30", "--out", Path.Combine(_dir, "r.html"), "--elasticsearch", _url);

        Assert.Equal(exitCode, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("report: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", run.Out + run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "r.html")));
        // The services' own configuration keys, from the environment, are the credentials sent.
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("reporter:s3cret-pw")), _authorization.First());
    }

    [Fact]
    public async Task An_elasticsearch_that_does_not_answer_is_exit_code_5()
    {
        var url = _url;
        await _es.StopAsync();

        var run = await RunAsync([], "report", "--from", "2026-11-01", "--to", "2026-11-30", "--out", Path.Combine(_dir, "r.html"), "--elasticsearch", url);

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.StartsWith("report: Elasticsearch could not be", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_elasticsearch_url_that_is_not_http_is_a_usage_error()
    {
        var run = await RunAsync([], "report", "--from", "2026-11-01", "--to", "2026-11-30", "--elasticsearch", "ftp://127.0.0.1:1");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Empty(_authorization);
    }

    private static async Task<CliRun> RunAsync(Dictionary<string, string?> environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Out = new AnsiConsoleOutput(output) });
        var code = await AnalyticsCommandLine.RunAsync(args, new CliContext(console, output, error, name => environment.GetValueOrDefault(name)));
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
