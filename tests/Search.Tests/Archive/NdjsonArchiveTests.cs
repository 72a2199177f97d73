using System.Text.Json;
using Analytics.Search.Archive;
using Analytics.Search.Ecs;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Search.Tests.Archive;

public sealed class NdjsonArchiveTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Samples.T0);

    private NdjsonArchive Open(long maxFileBytes = 256L * 1024 * 1024) =>
        new(new ArchiveOptions { Directory = _dir.Path, Fsync = false, MaxFileBytes = maxFileBytes }, "default", _time);

    private static EcsDocument Request(int i) =>
        RequestEventMapping.ToDocument(Samples.Request(id: "req-" + i, at: Samples.T0.AddSeconds(i)), "default");

    /// <summary>Reads a file as _bulk input: (action, document) pairs, each line JSON.</summary>
    private static List<(JsonElement Action, JsonElement Document)> Bulk(string path)
    {
        var text = File.ReadAllText(path);
        Assert.EndsWith("\n", text);
        var lines = text.Split('\n')[..^1];
        Assert.True(lines.Length % 2 == 0, "an action line without its document");
        var pairs = new List<(JsonElement, JsonElement)>();
        for (var i = 0; i < lines.Length; i += 2)
        {
            pairs.Add((JsonDocument.Parse(lines[i]).RootElement, JsonDocument.Parse(lines[i + 1]).RootElement));
        }

        return pairs;
    }

    [Fact]
    public async Task Files_are_bulk_input_with_create_actions_naming_the_data_stream_and_id()
    {
        using (var archive = Open())
        {
            await archive.WriteAsync([Request(1), DecisionMapping.ToDocument("ip:1.2.3.4", Samples.Decision(), Samples.T0, "default"), AlertMapping.ToDocument(Samples.Alert(), "default")], CancellationToken.None);
        }

        var files = ArchiveFile.List(_dir.Path);
        Assert.Equal(["alerts-2026-11-28.ndjson", "decisions-2026-11-28.ndjson", "requests-2026-11-28.ndjson"], files.Select(f => Path.GetFileName(f.Path)).Order());
        var requests = Bulk(files.Single(f => f.Stream == SearchStream.Requests).Path);
        var (action, doc) = Assert.Single(requests);
        Assert.Equal("logs-analytics.requests-default", action.GetProperty("create").GetProperty("_index").GetString());
        Assert.Equal("req-1", action.GetProperty("create").GetProperty("_id").GetString());
        Assert.Equal("req-1", doc.GetProperty("event").GetProperty("id").GetString());
        var (decisionAction, _) = Assert.Single(Bulk(files.Single(f => f.Stream == SearchStream.Decisions).Path));
        Assert.Equal("logs-analytics.decisions-default", decisionAction.GetProperty("create").GetProperty("_index").GetString());
    }

    [Fact]
    public async Task Rotates_by_day_and_by_size_without_splitting_a_document()
    {
        using (var archive = Open(maxFileBytes: 64 * 1024))
        {
            await archive.WriteAsync(Enumerable.Range(0, 300).Select(Request).ToList(), CancellationToken.None);
            _time.Advance(TimeSpan.FromDays(1));
            await archive.WriteAsync([Request(1000)], CancellationToken.None);
        }

        var files = ArchiveFile.List(_dir.Path, SearchStream.Requests);
        var firstDay = files.Where(f => f.Day == new DateOnly(2026, 11, 28)).ToList();
        Assert.True(firstDay.Count >= 2, "size rotation made no second file");
        Assert.Equal(Enumerable.Range(0, firstDay.Count), firstDay.Select(f => f.Part));
        Assert.All(firstDay, f => Assert.True(new FileInfo(f.Path).Length <= 64 * 1024));
        var ids = firstDay.SelectMany(f => Bulk(f.Path)).Select(p => p.Action.GetProperty("create").GetProperty("_id").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 300).Select(i => "req-" + i), ids);
        var nextDay = Assert.Single(files, f => f.Day == new DateOnly(2026, 11, 29));
        Assert.Equal("req-1000", Bulk(nextDay.Path).Single().Action.GetProperty("create").GetProperty("_id").GetString());
    }

    [Fact]
    public async Task A_restart_writes_nothing_twice_and_cuts_a_torn_tail()
    {
        using (var archive = Open())
        {
            await archive.WriteAsync(Enumerable.Range(0, 10).Select(Request).ToList(), CancellationToken.None);
        }

        var path = ArchiveFile.List(_dir.Path).Single().Path;
        // A crash mid-write: an action line and half a document.
        var torn = "{\"create\":{\"_index\":\"logs-analytics.requests-default\",\"_id\":\"req-10\"}}\n{\"@timestamp\":\"2026-";
        await File.AppendAllTextAsync(path, torn);

        using (var archive = Open())
        {
            // Messages 5-9 were not committed before the crash and come again, with 10 and 11.
            await archive.WriteAsync(Enumerable.Range(5, 7).Select(Request).ToList(), CancellationToken.None);
            Assert.Equal(5, archive.Duplicates);
        }

        var ids = Bulk(path).Select(p => p.Action.GetProperty("create").GetProperty("_id").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => "req-" + i), ids);
    }

    [Fact]
    public async Task Retention_deletes_old_days_and_keeps_the_rest()
    {
        var old = Path.Combine(_dir.Path, ArchiveFile.NameFor(SearchStream.Requests, new DateOnly(2026, 10, 1), 0));
        var recent = Path.Combine(_dir.Path, ArchiveFile.NameFor(SearchStream.Requests, new DateOnly(2026, 11, 20), 0));
        await File.WriteAllTextAsync(old, "");
        await File.WriteAllTextAsync(recent, "");
        var unrelated = Path.Combine(_dir.Path, "dead-letter.ndjson");
        await File.WriteAllTextAsync(unrelated, "{}\n");

        using var archive = Open();

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(unrelated));
    }

    public void Dispose() => _dir.Dispose();
}
