using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>
/// A short job run in process: three warm-up and ten measured iterations per step (ShortRun's
/// three are too few on a shared machine), no generated project to build (a build takes minutes
/// there), steps in the order of the request path. Timed by the thread's CPU time where the OS
/// offers it (Linux), so the time spent waiting for a core while others build is not counted.
/// Median and minimum beside the mean: what load remains (caches, the other hyperthread) inflates
/// the mean; the minimum is the closest to the step's own cost.
/// </summary>
internal sealed class RequestPathStepsConfig : ManualConfig
{
    public RequestPathStepsConfig()
    {
        var job = Job.ShortRun.WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance);
        AddJob(ThreadCpuClock.Instance.IsAvailable ? job.WithClock(ThreadCpuClock.Instance).WithId("Short10-InProcess-CpuTime") : job.WithId("Short10-InProcess"));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        Orderer = new DefaultOrderer(SummaryOrderPolicy.Declared);
    }
}
