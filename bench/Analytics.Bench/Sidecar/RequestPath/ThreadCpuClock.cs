using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>
/// The CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>, nanoseconds), as a
/// BenchmarkDotNet clock. On a machine shared with other builds a wall clock counts the time the
/// benchmark waited for a core; this counts only the time it ran, as the load harness's CPU µs
/// per request does. The in-process toolchain runs the workload on the thread that reads it.
/// </summary>
internal sealed class ThreadCpuClock : IClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static readonly ThreadCpuClock Instance = new();

    public string Title => "Thread CPU time";

    public bool IsAvailable => OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTimeId, out _) == 0;

    public Frequency Frequency => Frequency.FromHz(1_000_000_000);

    public long GetTimestamp()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (now.Seconds * 1_000_000_000) + now.Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
