using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Analytics.Bench.Sidecar.RequestPath;

/// <summary>
/// A short job run in process: three warm-up and three measured iterations per step, no
/// generated project to build (a build takes minutes on the shared machine), steps in the order
/// of the request path.
/// </summary>
internal sealed class RequestPathStepsConfig : ManualConfig
{
    public RequestPathStepsConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"));
        Orderer = new DefaultOrderer(SummaryOrderPolicy.Declared);
    }
}
