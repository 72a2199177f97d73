using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Analytics.Standalone.Tests;

/// <summary>Standalone as a process: started from another folder, stopped by SIGTERM, refused by a taken port.</summary>
public sealed class ProcessTests : IDisposable
{
    private const string Token = "process-test-admin-token-0123456789";
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("analytics-cwd-").FullName;

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task Run_from_another_working_directory_the_demo_loads_both_models_and_SIGTERM_stops_it_cleanly()
    {
        Assert.False(File.Exists(Path.Combine(_workingDirectory, "models", "default.zip")));
        using var process = StandaloneProcess.Start(_workingDirectory, Demo());
        var (proxyUrl, adminUrl) = await process.WaitForDemoAsync();
        var appModels = Path.Combine(AppContext.BaseDirectory, "models");

        using var admin = new HttpClient { BaseAddress = new Uri(adminUrl) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var stats = JsonDocument.Parse(await admin.GetStringAsync("/analyzer/stats"));

        Assert.Equal("default", stats.RootElement.GetProperty("model").GetString());
        using var anonymous = new HttpClient { BaseAddress = new Uri(adminUrl) };
        Assert.Equal("Healthy", await anonymous.GetStringAsync("/readyz"));
        Assert.Contains(process.Out, l => l.Contains($"Inspection model loaded from {Path.Combine(appModels, "inspection-model.zip")}", StringComparison.Ordinal));
        Assert.Contains(process.Out, l => l.Contains($"Model default loaded from {Path.Combine(appModels, "default.zip")}", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_workingDirectory, "data", "decisions.jsonl")), "data/ belongs to the working directory");

        process.Terminate();
        var exitCode = await process.ExitCodeAsync();

        Assert.Equal(0, exitCode);
        Assert.Empty(process.Error);
        // The listeners are released: a restart can bind the same ports.
        foreach (var url in new[] { proxyUrl, adminUrl })
        {
            using var again = new TcpListener(IPAddress.Loopback, new Uri(url).Port);
            again.Start();
        }
    }

    [Fact]
    public async Task A_taken_port_is_one_line_and_exit_code_1_without_a_stack_trace()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var process = StandaloneProcess.Start(_workingDirectory, [.. Demo(), $"--Kestrel:Endpoints:Proxy:Url=http://127.0.0.1:{port}"]);

        var exitCode = await process.ExitCodeAsync();

        Assert.Equal(1, exitCode);
        var line = Assert.Single(process.Error);
        Assert.StartsWith($"start-up error: Failed to bind to address http://127.0.0.1:{port}: address already in use", line, StringComparison.Ordinal);
        Assert.DoesNotContain(process.Out, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sample_token_is_a_configuration_error_with_exit_code_2()
    {
        using var process = StandaloneProcess.Start(_workingDirectory,
            "--Sidecar:Admin:Token=set-me-via-Sidecar__Admin__Token", "--Kestrel:Endpoints:Proxy:Url=http://127.0.0.1:0", "--Sidecar:Admin:Url=http://127.0.0.1:0");

        var exitCode = await process.ExitCodeAsync();

        Assert.Equal(2, exitCode);
        Assert.Equal(["configuration error: Sidecar:Admin:Token: is a sample placeholder; generate one, e.g. openssl rand -hex 24"], process.Error);
    }

    [Fact]
    public async Task Help_prints_usage_and_exits_0()
    {
        using var process = StandaloneProcess.Start(_workingDirectory, "--help");

        var exitCode = await process.ExitCodeAsync();

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Usage: analytics-standalone", process.Out.First(), StringComparison.Ordinal);
        Assert.Contains(process.Out, l => l.Contains("--Analyzer:Model:Path", StringComparison.Ordinal));
    }

    private static string[] Demo() =>
    [
        "--demo",
        "--Kestrel:Endpoints:Proxy:Url=http://127.0.0.1:0",
        "--Sidecar:Admin:Url=http://127.0.0.1:0",
        "--Demo:UpstreamUrl=http://127.0.0.1:0",
        $"--Sidecar:Admin:Token={Token}",
    ];
}
