using System.Buffers;
using Analytics.Search.Ecs;
using Analytics.Search.Indexing;

namespace Analytics.Search.Archive;

/// <summary>
/// The embedded document store: ECS documents appended to daily NDJSON files per stream, each
/// file valid <c>_bulk</c> input (<c>curl -H 'Content-Type: application/x-ndjson' --data-binary @file _bulk</c>).
/// A torn tail from a crash is cut at start, and ids read back from the end of the current files
/// keep a redelivered message from being written twice.
/// </summary>
public sealed class NdjsonArchive : IDocumentSink, IDisposable
{
    private readonly ArchiveOptions _options;
    private readonly string _namespace;
    private readonly TimeProvider _time;
    private readonly Dictionary<SearchStream, StreamWriterState> _writers = new();

    public NdjsonArchive(ArchiveOptions options, string @namespace, TimeProvider time)
    {
        _options = options;
        _namespace = @namespace;
        _time = time;
        Directory = Path.GetFullPath(options.Directory);
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var stream in SearchStream.All)
        {
            _writers[stream] = new StreamWriterState(stream);
        }

        DeleteExpired();
    }

    public string Directory { get; }

    /// <summary>Documents written since start.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Documents skipped because the same id was already in the archive (redelivery after a restart).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    private long _written;
    private long _duplicates;

    public async Task WriteAsync(IReadOnlyList<EcsDocument> documents, CancellationToken cancellationToken)
    {
        foreach (var group in documents.GroupBy(d => d.Stream))
        {
            var state = _writers[group.Key];
            await state.Lock.WaitAsync(cancellationToken);
            try
            {
                Append(state, group);
            }
            finally
            {
                state.Lock.Release();
            }
        }
    }

    private void Append(StreamWriterState state, IEnumerable<EcsDocument> documents)
    {
        state.EnsureRecovered(Directory, _options.RecentIds);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        if (state.File is null || state.Day != today)
        {
            Open(state, today, next: false);
        }

        foreach (var doc in documents)
        {
            if (!state.Remember(doc.Id, _options.RecentIds))
            {
                Interlocked.Increment(ref _duplicates);
                continue;
            }

            var before = buffer.WrittenCount;
            BulkLines.Write(buffer, doc, _namespace);
            if (state.Length + buffer.WrittenCount > _options.MaxFileBytes && state.Length + before > 0)
            {
                // This document does not fit: what came before it closes the file, it opens the next.
                Flush(state, buffer.WrittenSpan[..before]);
                var pending = buffer.WrittenSpan[before..].ToArray();
                buffer.ResetWrittenCount();
                buffer.Write(pending);
                Open(state, today, next: true);
            }

            Interlocked.Increment(ref _written);
        }

        if (buffer.WrittenCount > 0)
        {
            Flush(state, buffer.WrittenSpan);
        }
    }

    private void Flush(StreamWriterState state, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        state.File!.Write(bytes);
        state.File.Flush(flushToDisk: _options.Fsync);
        state.Length += bytes.Length;
    }

    /// <summary>Opens the file to append to: today's latest part while it has room (or <paramref name="next"/> is false and it is empty), else the next part.</summary>
    private void Open(StreamWriterState state, DateOnly today, bool next)
    {
        state.File?.Dispose();
        state.File = null;
        var latest = ArchiveFile.List(Directory, state.Stream).LastOrDefault(f => f.Day == today);
        var part = latest?.Part ?? 0;
        if (latest is not null && (next || new FileInfo(latest.Path).Length >= _options.MaxFileBytes))
        {
            part++;
        }

        var path = Path.Combine(Directory, ArchiveFile.NameFor(state.Stream, today, part));
        state.File = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        state.Length = state.File.Length;
        state.Day = today;
        DeleteExpired();
    }

    /// <summary>Applies retention: days older than RetentionDays, then the oldest files while the total is over MaxTotalBytes.</summary>
    public void DeleteExpired()
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var files = ArchiveFile.List(Directory);
        var open = _writers.Values.Select(w => w.File?.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var kept = new List<(ArchiveFile File, long Size)>();
        foreach (var f in files)
        {
            if (open.Contains(f.Path))
            {
                kept.Add((f, 0));
                continue;
            }

            if (f.Day.AddDays(_options.RetentionDays) < today)
            {
                TryDelete(f.Path);
            }
            else
            {
                kept.Add((f, new FileInfo(f.Path).Length));
            }
        }

        var total = kept.Sum(k => k.Size);
        foreach (var (file, size) in kept)
        {
            if (total <= _options.MaxTotalBytes)
            {
                break;
            }

            if (!open.Contains(file.Path))
            {
                TryDelete(file.Path);
                total -= size;
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Still open by a reader (a search); the next sweep tries again.
        }
    }

    public void Dispose()
    {
        foreach (var w in _writers.Values)
        {
            w.File?.Dispose();
            w.File = null;
            w.Lock.Dispose();
        }
    }
}
