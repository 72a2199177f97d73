namespace Analytics.Search.Archive;

/// <summary>The NDJSON archive under <c>data/search/</c>: where, how large a file may grow, and how long files are kept.</summary>
public sealed class ArchiveOptions
{
    /// <summary>Folder of the daily files; relative paths resolve from the working directory.</summary>
    public string Directory { get; set; } = Path.Combine("data", "search");

    /// <summary>A file that would grow past this starts a new one for the same day.</summary>
    public long MaxFileBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Files of days older than this are deleted.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Oldest files are deleted while all files together are larger than this.</summary>
    public long MaxTotalBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Ids remembered from the end of the current files, so a message redelivered after a restart is not written twice.</summary>
    public int RecentIds { get; set; } = 50_000;

    /// <summary>Write the archive: null means on exactly when Elasticsearch is not configured.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Flush each batch to the disk itself (fsync) before it counts as stored.</summary>
    public bool Fsync { get; set; } = true;
}
