using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Analytics.Standalone.Tests;

/// <summary>The built Standalone run as its own process, the way a user runs it, from a working directory of the test's choosing.</summary>
internal sealed partial class StandaloneProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _out = new();
    private readonly ConcurrentQueue<string> _error = new();

    private StandaloneProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _out.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _error.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyCollection<string> Out => _out;
    public IReadOnlyCollection<string> Error => _error;
    public int Id => _process.Id;

    /// <summary>The program as built beside this test (the project reference copies it and its models here).</summary>
    public static string Program => Path.Combine(AppContext.BaseDirectory, "Analytics.Standalone.dll");

    public static StandaloneProcess Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Program);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Only what the test sets: no token or URL from the developer's shell.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("Sidecar__", StringComparison.Ordinal) || k.StartsWith("Analyzer__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        return new StandaloneProcess(System.Diagnostics.Process.Start(info)!);
    }

    /// <summary>Waits (bounded) until the demo printed where it listens; fails with what it printed otherwise.</summary>
    public async Task<(string ProxyUrl, string AdminUrl)> WaitForDemoAsync()
    {
        for (var i = 0; i < 600; i++)
        {
            var proxy = _out.Select(l => ProxyLine().Match(l)).FirstOrDefault(m => m.Success);
            var admin = _out.Select(l => AdminLine().Match(l)).FirstOrDefault(m => m.Success);
            if (proxy is not null && admin is not null)
            {
                return (proxy.Groups[1].Value, admin.Groups[1].Value);
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("The demo did not start:\n" + string.Join('\n', _out) + "\n" + string.Join('\n', _error));
    }

    /// <summary>Sends SIGTERM, as docker stop and systemd do.</summary>
    public void Terminate()
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits (bounded) for the process to end and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"sidecar \(proxy\)\s+(http://\S+)")]
    private static partial Regex ProxyLine();

    [GeneratedRegex(@"^\s+admin API\s+(http://\S+)")]
    private static partial Regex AdminLine();
}
