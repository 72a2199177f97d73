using System.Globalization;
using Analytics.Search.Ecs;

namespace Analytics.Search.Archive;

/// <summary>One archive file: <c>&lt;stream&gt;-&lt;yyyy-MM-dd&gt;[.&lt;n&gt;].ndjson</c>, where n counts size rotations within the day.</summary>
public sealed record ArchiveFile(string Path, SearchStream Stream, DateOnly Day, int Part)
{
    public const string Extension = ".ndjson";

    public static string NameFor(SearchStream stream, DateOnly day, int part) =>
        stream.Name + "-" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (part == 0 ? "" : "." + part.ToString(CultureInfo.InvariantCulture)) + Extension;

    /// <summary>Parses a file name of the archive; null for anything else in the folder (e.g. the dead-letter file).</summary>
    public static ArchiveFile? TryParse(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        if (!name.EndsWith(Extension, StringComparison.Ordinal))
        {
            return null;
        }

        name = name[..^Extension.Length];
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || SearchStream.FromName(name[..dash]) is not { } stream)
        {
            return null;
        }

        var rest = name[(dash + 1)..];
        var part = 0;
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            if (!int.TryParse(rest[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out part))
            {
                return null;
            }

            rest = rest[..dot];
        }

        return DateOnly.TryParseExact(rest, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new ArchiveFile(path, stream, day, part)
            : null;
    }

    /// <summary>The archive files in <paramref name="directory"/>, oldest first.</summary>
    public static List<ArchiveFile> List(string directory, SearchStream? stream = null)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(directory, "*" + Extension)
            .Select(TryParse)
            .OfType<ArchiveFile>()
            .Where(f => stream is null || f.Stream == stream)
            .OrderBy(f => f.Day).ThenBy(f => f.Part).ThenBy(f => f.Stream.Name, StringComparer.Ordinal)
            .ToList();
    }
}
