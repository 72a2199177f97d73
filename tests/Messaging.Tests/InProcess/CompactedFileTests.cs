using Analytics.Messaging.InProcess;

namespace Analytics.Messaging.Tests.InProcess;

/// <summary>The decisions file of Standalone (data/decisions.jsonl) as a parser: a damaged line is skipped, never fatal.</summary>
public sealed class CompactedFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("compacted-").FullName, "decisions.jsonl");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    [Theory]
    [InlineData("[1]")] // valid JSON, not an object: TryGetProperty threw InvalidOperationException
    [InlineData("\"ip:203.0.113.9\"")]
    [InlineData("{\"key\":7,\"value\":null}")] // a key that is not a string
    [InlineData("{\"key\":\"ip:203.0.113.9\",\"value\":{\"id\":5}}")]
    [InlineData("{\"key\":\"ip:203.0.113.9\",\"val")]
    [InlineData("\u0000\u00ff")]
    public void A_damaged_line_is_skipped_and_the_rest_still_loads(string damaged)
    {
        var file = new CompactedFile<Decision>(_path, Streams.Decisions);
        file.Append("ip:203.0.113.7", Samples.Decision("203.0.113.7", "d1"));
        File.AppendAllText(_path, damaged + "\n");
        file.Append("ip:203.0.113.8", Samples.Decision("203.0.113.8", "d2"));

        var loaded = new CompactedFile<Decision>(_path, Streams.Decisions).Load();

        Assert.Equal(["d1", "d2"], loaded.Select(e => e.Value.Id));
    }
}
