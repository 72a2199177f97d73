using Analytics.Messaging;
using Analytics.Search.Archive;
using Analytics.Search.Ecs;
using Analytics.Search.Query;
using Microsoft.Extensions.Time.Testing;

namespace Analytics.Search.Tests.Query;

public sealed class DocumentSearchTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Samples.T0);

    private async Task<DocumentSearch> ArchiveAsync(params EcsDocument[] documents)
    {
        using var archive = new NdjsonArchive(new ArchiveOptions { Directory = _dir.Path, Fsync = false }, "default", _time);
        await archive.WriteAsync(documents, CancellationToken.None);
        return new DocumentSearch(_dir.Path);
    }

    [Fact]
    public async Task Finds_the_requests_of_one_address_in_the_time_range()
    {
        var search = await ArchiveAsync(
            RequestEventMapping.ToDocument(Samples.Request("203.0.113.7", Samples.T0.AddMinutes(-30), status: 401), "default"),
            RequestEventMapping.ToDocument(Samples.Request("203.0.113.7", Samples.T0.AddMinutes(-5)), "default"),
            RequestEventMapping.ToDocument(Samples.Request("198.51.100.1", Samples.T0.AddMinutes(-5)), "default"),
            RequestEventMapping.ToDocument(Samples.Request("203.0.113.7", Samples.T0.AddHours(-3)), "default"));

        var result = search.Search(new SearchRequest
        {
            Query = "source.ip:203.0.113.7",
            Since = Samples.T0.AddHours(-1),
            Until = Samples.T0,
            Fields = ["source.ip", "http.response.status_code", "@timestamp"],
        });

        Assert.Equal(2, result.Rows.Count);
        Assert.All(result.Rows, r => Assert.Equal("203.0.113.7", r[0]));
        // Newest first.
        Assert.Equal(200L, result.Rows[0][1]);
        Assert.Equal(401L, result.Rows[1][1]);
    }

    public void Dispose() => _dir.Dispose();
}
