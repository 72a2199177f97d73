using System.Buffers;
using Analytics.Messaging;
using Analytics.Search.Archive;
using Analytics.Search.Ecs;
using BenchmarkDotNet.Attributes;

namespace Analytics.Bench.Search;

/// <summary>Documents per second through the ECS mapping plus <c>_bulk</c> serialisation, and through the NDJSON archive writer (1000 documents per operation).</summary>
[MemoryDiagnoser]
public class SearchBenchmarks
{
    private const int Batch = 1000;
    private RequestEvent[] _events = [];
    private EcsDocument[] _documents = [];
    private string _dir = "";
    private NdjsonArchive _archive = null!;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _events = Enumerable.Range(0, Batch).Select(SearchCorpus.Event).ToArray();
        _documents = _events.Select(e => RequestEventMapping.ToDocument(e, "default")).ToArray();
        _dir = Directory.CreateTempSubdirectory("bench-search-").FullName;
        _archive = new NdjsonArchive(new ArchiveOptions { Directory = _dir, Fsync = false, MaxTotalBytes = long.MaxValue, RecentIds = 1_000_000 }, "default", TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _archive.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "map + _bulk lines, per document")]
    public int MapAndSerialise()
    {
        var buffer = new ArrayBufferWriter<byte>(Batch * 1024);
        foreach (var e in _events)
        {
            BulkLines.Write(buffer, RequestEventMapping.ToDocument(e, "default"), "default");
        }

        return buffer.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "NDJSON archive write, per document")]
    public async Task ArchiveWrite()
    {
        // Fresh ids each round: the archive skips ids it already wrote.
        var round = ++_round;
        var docs = _documents.Select(d => d with { Id = d.Id + ":" + round }).ToArray();
        await _archive.WriteAsync(docs, CancellationToken.None);
    }
}
