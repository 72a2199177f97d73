using System.Diagnostics;

namespace Analytics.Bench.Inspection;

/// <summary>
/// The <see cref="InspectionBenchmarks"/> cases timed by process CPU time per operation, which on a
/// shared machine varies far less than wall-clock time (another process's load costs wall time, not
/// ours). Every case is warmed up first, so tiered compilation is not counted.
/// Allocations are this thread's bytes per operation.
/// Run: dotnet run -c Release --project bench/Analytics.Bench -- inspection-cpu [case, e.g. Json16K] [seconds per case, default 2]
/// </summary>
internal static class InspectionCpuTime
{
    public static int Run(string[] args)
    {
        var only = args.Length > 0 ? args[0] : null;
        var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
        var cases = new List<(string Name, bool Model, Func<int> Op)>();
        foreach (var model in new[] { true, false })
        {
            var b = new InspectionBenchmarks { Model = model };
            b.Setup();
            cases.Add((nameof(b.TypicalGet), model, b.TypicalGet));
            cases.Add((nameof(b.TypicalGetUnseenHeaders), model, b.TypicalGetUnseenHeaders));
            cases.Add((nameof(b.Get20UnseenHeaders), model, b.Get20UnseenHeaders));
            cases.Add((nameof(b.Json1K), model, b.Json1K));
            cases.Add((nameof(b.Json16K), model, b.Json16K));
            cases.Add((nameof(b.Json256K), model, b.Json256K));
        }

        if (only is not null)
        {
            cases.RemoveAll(c => !c.Name.Equals(only, StringComparison.OrdinalIgnoreCase));
        }

        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 5000)
        {
            foreach (var c in cases)
            {
                c.Op();
            }
        }

        using var process = Process.GetCurrentProcess();
        foreach (var (name, model, op) in cases)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            var n = 0;
            while (clock.ElapsedMilliseconds < seconds * 1000L)
            {
                op();
                n++;
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            process.Refresh();
            var perOp = (process.TotalProcessorTime - cpu).TotalMicroseconds / n;
            Console.WriteLine($"{name,-24} model={model,-5} {perOp,10:F1} µs CPU  {clock.Elapsed.TotalMicroseconds / n,10:F1} µs wall  {allocated / n,8} B/op  ({n} ops)");
        }

        return 0;
    }
}
