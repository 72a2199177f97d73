using Analytics.Search.Ecs;

namespace Analytics.Search.Archive;

/// <summary>The archive's state for one stream: its open file and the ids it wrote last.</summary>
internal sealed class StreamWriterState(SearchStream stream)
{
    private readonly HashSet<string> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private bool _recovered;

    public SearchStream Stream { get; } = stream;
    public SemaphoreSlim Lock { get; } = new(1, 1);
    public FileStream? File { get; set; }
    public long Length { get; set; }
    public DateOnly Day { get; set; }

    /// <summary>False when <paramref name="id"/> was written recently; otherwise remembers it.</summary>
    public bool Remember(string id, int capacity)
    {
        if (!_recent.Add(id))
        {
            return false;
        }

        _order.Enqueue(id);
        while (_order.Count > capacity)
        {
            _recent.Remove(_order.Dequeue());
        }

        return true;
    }

    /// <summary>
    /// Once per process: cuts a torn tail off the stream's latest file (a partial line, or an
    /// action line without its document) and reads the ids at its end.
    /// </summary>
    public void EnsureRecovered(string directory, int capacity)
    {
        if (_recovered)
        {
            return;
        }

        _recovered = true;
        var latest = ArchiveFile.List(directory, Stream).LastOrDefault();
        if (latest is null)
        {
            return;
        }

        using var file = new FileStream(latest.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        // The tail holds the last batches; 32 MiB covers far more ids than a redelivery can bring back.
        var start = Math.Max(0, file.Length - 32L * 1024 * 1024);
        file.Position = start;
        var bytes = new byte[file.Length - start];
        file.ReadExactly(bytes);

        var lines = new List<(int Start, int Length)>();
        var lineStart = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lines.Add((lineStart, i - lineStart));
                lineStart = i + 1;
            }
        }

        // A tail read from mid-file starts inside a line: drop that fragment.
        if (start > 0 && lines.Count > 0)
        {
            lines.RemoveAt(0);
        }

        var keep = lineStart; // bytes up to the last newline
        var ids = new List<string>();
        string? pendingAction = null;
        var lastPairEnd = lines.Count > 0 ? lines[0].Start : 0;
        foreach (var (s, len) in lines)
        {
            var id = BulkLines.ActionId(bytes.AsSpan(s, len));
            if (id is not null)
            {
                pendingAction = id;
            }
            else if (pendingAction is not null)
            {
                ids.Add(pendingAction);
                pendingAction = null;
                lastPairEnd = s + len + 1;
            }
        }

        if (pendingAction is not null || keep != bytes.Length)
        {
            keep = pendingAction is not null ? lastPairEnd : keep;
            file.SetLength(start + keep);
        }

        foreach (var id in ids.Skip(Math.Max(0, ids.Count - capacity)))
        {
            Remember(id, capacity);
        }
    }
}
