using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>
/// A short job run in process: two warm-up and ten measured iterations of 150 ms CPU time per
/// step (ShortRun's three iterations are too few on a shared machine; its 500 ms of CPU time
/// each take three times as long on the clock there), no generated project to build (a build takes minutes
/// there), steps in the order of the request path. Timed by the thread's CPU time where the OS
/// offers it (Linux), so the time spent waiting for a core while others build is not counted.
/// Median and minimum beside the mean: what load remains (caches, the other hyperthread) inflates
/// the mean; the minimum is the closest to the step's own cost.
/// </summary>
internal sealed class RequestPathStepsConfig : ManualConfig
{
    public RequestPathStepsConfig()
    {
        var job = Job.ShortRun.WithWarmupCount(2).WithIterationCount(10).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150))
            .WithToolchain(InProcessEmitToolchain.Instance);
        AddJob(ThreadCpuClock.Instance.IsAvailable ? job.WithClock(ThreadCpuClock.Instance).WithId("Short10-InProcess-CpuTime") : job.WithId("Short10-InProcess"));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        Orderer = new DefaultOrderer(SummaryOrderPolicy.Declared);
    }
}
