using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>
/// A short job run in process: three warm-up and ten measured iterations per step (ShortRun's
/// three are too few on a shared machine), no generated project to build (a build takes minutes
/// there), steps in the order of the request path. Median and minimum beside the mean: other
/// processes' load inflates the mean, the minimum is the closest to the step's own cost.
/// </summary>
internal sealed class RequestPathStepsConfig : ManualConfig
{
    public RequestPathStepsConfig()
    {
        AddJob(Job.ShortRun.WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance).WithId("Short10-InProcess"));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        Orderer = new DefaultOrderer(SummaryOrderPolicy.Declared);
    }
}
