using System.Diagnostics;
using Analytics.Bench.Analyzer;

namespace Analytics.Bench.Kafka;

/// <summary>
/// A mock cluster for a measured run: by default in a process of its own (the bench's
/// <c>kafka-mock-broker</c> mode, which exits when its stdin closes), so that its broker threads are
/// not counted as the measured process's CPU, as a broker is another process in production; or, to
/// compare with earlier figures, in this process.
/// </summary>
internal sealed class SeparateMockCluster : IDisposable
{
    private readonly Process? _process;
    private readonly MockCluster? _inProcess;

    public SeparateMockCluster(bool inProcess)
    {
        if (inProcess)
        {
            _inProcess = new MockCluster(brokers: 1);
            BootstrapServers = _inProcess.BootstrapServers;
            return;
        }

        var start = AnalyzerKafkaThroughput.SelfStart("kafka-mock-broker", ["0", "3600"]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.Environment.Remove(AnalyzerKafkaThroughput.ChildVariable);
        _process = Process.Start(start)!;
        while (_process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("BOOTSTRAP=", StringComparison.Ordinal))
            {
                BootstrapServers = line["BOOTSTRAP=".Length..];
                return;
            }
        }

        throw new InvalidOperationException("the mock cluster process exited before printing its address");
    }

    public string BootstrapServers { get; } = "";

    public string Where => _process is null ? "mock cluster in this process" : $"mock cluster in process {_process.Id}";

    /// <summary>The cluster process's CPU time so far; zero when the cluster is in this process.</summary>
    public TimeSpan Cpu
    {
        get
        {
            if (_process is null)
            {
                return TimeSpan.Zero;
            }

            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public void Dispose()
    {
        _inProcess?.Dispose();
        if (_process is null)
        {
            return;
        }

        _process.StandardInput.Close();
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
