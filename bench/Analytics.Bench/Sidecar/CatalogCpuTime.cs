using System.Diagnostics;

namespace Analytics.Bench.Sidecar;

/// <summary>
/// The <see cref="CatalogTemplatingBenchmarks"/> cases timed by process CPU time per operation
/// (steadier than wall time on a shared machine), after a warm-up.
/// Run: dotnet run -c Release --project bench/Analytics.Bench -- catalog-cpu
/// </summary>
internal static class CatalogCpuTime
{
    public static int Run()
    {
        var b = new CatalogTemplatingBenchmarks();
        b.Setup();
        var cases = new (string Name, Func<string> Op)[]
        {
            ("7.8 KB, one plain segment", b.PlainLongSegment),
            ("7.8 KB, 3,900 plain segments", b.ManyPlainSegments),
            ("7.8 KB, a%2F x 1,950", b.EncodedSlashSegments),
        };

        foreach (var (_, op) in cases)
        {
            for (var i = 0; i < 20; i++)
            {
                op();
            }
        }

        using var process = Process.GetCurrentProcess();
        foreach (var (name, op) in cases)
        {
            var iterations = 0;
            process.Refresh();
            var start = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            while (wall.ElapsedMilliseconds < 3000)
            {
                op();
                iterations++;
            }

            process.Refresh();
            var cpu = process.TotalProcessorTime - start;
            Console.WriteLine($"{name,-32} {cpu.TotalMicroseconds / iterations,10:F1} µs CPU/op  ({iterations} ops)");
        }

        return 0;
    }
}
