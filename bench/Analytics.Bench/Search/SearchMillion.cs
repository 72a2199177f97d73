using System.Diagnostics;
using Analytics.Search.Archive;
using Analytics.Search.Ecs;
using Analytics.Search.Query;

namespace Analytics.Bench.Search;

/// <summary>
/// `search` over N stored request documents (default one million) filtering one address: writes
/// the archive once into a temp folder, then times the query a few rounds (best and median).
/// </summary>
internal static class SearchMillion
{
    public static async Task<int> RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var dir = Directory.CreateTempSubdirectory("bench-search-1m-").FullName;
        try
        {
            var write = Stopwatch.StartNew();
            using (var archive = new NdjsonArchive(new ArchiveOptions { Directory = dir, Fsync = false, MaxTotalBytes = long.MaxValue }, "default", new FixedTime(SearchCorpus.Start)))
            {
                for (var i = 0; i < n; i += 10_000)
                {
                    var batch = Enumerable.Range(i, Math.Min(10_000, n - i)).Select(j => RequestEventMapping.ToDocument(SearchCorpus.Event(j), "default")).ToList();
                    await archive.WriteAsync(batch, CancellationToken.None);
                }
            }

            var bytes = Directory.EnumerateFiles(dir).Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"wrote {n:N0} documents ({bytes / 1024.0 / 1024:N0} MiB) in {write.Elapsed.TotalSeconds:N1} s");
            var search = new DocumentSearch(dir);
            var request = new SearchRequest { Query = "source.ip:" + SearchCorpus.Event(123_457).ClientIp, Since = SearchCorpus.Start.AddDays(-1), Until = SearchCorpus.Start.AddDays(2), Limit = 1000 };
            var times = new List<double>();
            var hits = 0;
            for (var r = 0; r < rounds; r++)
            {
                var sw = Stopwatch.StartNew();
                hits = search.Search(request).Rows.Count;
                times.Add(sw.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            Console.WriteLine($"search \"{request.Query}\" over {n:N0} documents: {hits} hits; best {times[0]:N0} ms, median {times[times.Count / 2]:N0} ms ({rounds} rounds)");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
