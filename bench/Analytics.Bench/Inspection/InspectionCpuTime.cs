using System.Diagnostics;

namespace Analytics.Bench.Inspection;

/// <summary>
/// The <see cref="InspectionBenchmarks"/> cases timed by process CPU time per operation, which on a
/// shared machine varies far less than wall-clock time (another process's load costs wall time, not
/// ours). Every case is warmed up first, so tiered compilation is not counted.
/// Run: dotnet run -c Release --project bench/Analytics.Bench -- inspection-cpu
/// </summary>
internal static class InspectionCpuTime
{
    public static int Run()
    {
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
            var clock = Stopwatch.StartNew();
            var n = 0;
            while (clock.ElapsedMilliseconds < 2000)
            {
                op();
                n++;
            }

            process.Refresh();
            var perOp = (process.TotalProcessorTime - cpu).TotalMicroseconds / n;
            Console.WriteLine($"{name,-24} model={model,-5} {perOp,10:F1} µs CPU  {clock.Elapsed.TotalMicroseconds / n,10:F1} µs wall  ({n} ops)");
        }

        return 0;
    }
}
