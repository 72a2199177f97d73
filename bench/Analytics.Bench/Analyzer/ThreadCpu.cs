using System.Globalization;
using System.Text;

namespace Analytics.Bench.Analyzer;

/// <summary>
/// CPU time of this process's threads by name, from <c>/proc/self/task/*/stat</c> (Linux; empty
/// elsewhere), so that a measurement can say where the process's CPU went: the read loop, the
/// thread pool, librdkafka's threads, the JIT.
/// </summary>
internal static class ThreadCpu
{
    private static readonly double TickMs = 1000.0 / 100; // USER_HZ, 100 on Linux

    /// <summary>Milliseconds of user + system time per live thread id, with the thread's name.</summary>
    public static Dictionary<int, (string Name, double Ms)> Read()
    {
        var threads = new Dictionary<int, (string, double)>();
        if (!Directory.Exists("/proc/self/task"))
        {
            return threads;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // The name is in parentheses and may hold spaces; the fields after it are space-separated.
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                threads[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (name, ticks * TickMs);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return threads;
    }

    /// <summary>The CPU each thread name (numbers stripped, so the pool's workers are one line) used between two readings.</summary>
    public static Dictionary<string, double> ByName(Dictionary<int, (string Name, double Ms)> before, Dictionary<int, (string Name, double Ms)> after)
    {
        var byName = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (id, (name, ms)) in after)
        {
            var used = ms - (before.TryGetValue(id, out var b) ? b.Ms : 0);
            var key = name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-', ' ', '#');
            byName[key] = byName.GetValueOrDefault(key) + used;
        }

        return byName;
    }

    /// <summary><see cref="ByName"/> as one line, with what ended threads used (the process's time minus the threads').</summary>
    public static string Describe(Dictionary<string, double> byName, TimeSpan processCpu)
    {
        var text = new StringBuilder();
        foreach (var (name, ms) in byName.Where(p => p.Value > 0).OrderByDescending(p => p.Value))
        {
            text.Append(CultureInfo.InvariantCulture, $" {name} {ms:0}");
        }

        // Threads that ended between the readings are in the process's time only.
        var rest = processCpu.TotalMilliseconds - byName.Values.Sum();
        text.Append(CultureInfo.InvariantCulture, $"; ended threads and rounding {rest:0}");
        return text.ToString();
    }
}
