using Analytics.Analyzer.Ingest;
using Analytics.Detection.Ingest;
using Analytics.Messaging;
using Analytics.Traffic;

namespace Analytics.Analyzer.Tests.Ingest;

public sealed class EventFileReaderTests
{
    [Fact]
    public void Combined_log_lines_become_events()
    {
        const string log = """
            203.0.113.9 - - [05/Jan/2026:09:00:01 +0000] "POST /api/login HTTP/1.1" 401 52 "-" "python-requests/2.32.3"
            203.0.113.9 - frank [05/Jan/2026:09:00:02 +0100] "GET /.env?x=1 HTTP/1.1" 404 0 "-" "-" 0.002
            this is not a log line
            """;
        var reader = new EventFileReader();
        var events = reader.Read(new StringReader(log)).ToList();
        Assert.Equal(InputFormat.Combined, reader.Format);
        Assert.Equal(2, events.Count);
        Assert.Equal(1, reader.Skipped);
        Assert.Equal("203.0.113.9", events[0].Event.ClientIp);
        Assert.Equal(401, events[0].Event.Status);
        Assert.Equal("python-requests/2.32.3", events[0].Event.UserAgent);
        Assert.Equal("/.env", events[1].Event.Path);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 8, 0, 2, TimeSpan.Zero), events[1].Event.Timestamp);
        Assert.Null(events[1].Event.UserAgent);
    }

    /// <summary>
    /// Found by fuzzing (bench/fuzz.sh accesslog): a later line that is valid JSON but not an
    /// object threw InvalidOperationException out of the reader instead of being skipped.
    /// </summary>
    [Theory]
    [InlineData("\"1\"")]
    [InlineData("1")]
    [InlineData("[{\"remote_addr\":\"198.51.100.4\"}]")]
    [InlineData("null")]
    public void Access_log_json_lines_that_are_not_objects_are_skipped(string line)
    {
        static string Line(string ip) => "{\"time_iso8601\":\"2026-01-05T09:00:01+00:00\",\"remote_addr\":\"" + ip
            + "\",\"request\":\"GET /api/items/7 HTTP/1.1\",\"status\":\"200\",\"body_bytes_sent\":\"512\",\"request_time\":\"0.012\"}";
        var log = Line("198.51.100.4") + "\n" + line + "\n" + Line("198.51.100.5") + "\n";
        var reader = new EventFileReader();
        var events = reader.Read(new StringReader(log)).ToList();
        Assert.Equal(["198.51.100.4", "198.51.100.5"], events.Select(e => e.Event.ClientIp));
        Assert.Equal(1, reader.Skipped);
    }

    [Fact]
    public void Access_log_json_lines_become_events()
    {
        const string log = """
            {"time_iso8601":"2026-01-05T09:00:01+00:00","remote_addr":"198.51.100.4","request":"GET /api/items/7?q=1 HTTP/1.1","status":"200","body_bytes_sent":"512","request_time":"0.012","http_user_agent":"curl/8.5.0"}
            """;
        var reader = new EventFileReader();
        var e = Assert.Single(reader.Read(new StringReader(log)));
        Assert.Equal(InputFormat.AccessLogJson, reader.Format);
        Assert.Equal("198.51.100.4", e.Event.ClientIp);
        Assert.Equal("GET", e.Event.Method);
        Assert.Equal("/api/items/7", e.Event.Path);
        Assert.Equal(200, e.Event.Status);
        Assert.Equal(512, e.Event.BytesOut);
        Assert.Equal(12, e.Event.DurationMs, 3);
    }

    [Fact]
    public void Labelled_generator_lines_round_trip_with_their_labels()
    {
        var generated = TrafficGenerator.Generate(Scenarios.Attack(AlertTypes.Scanning)).Take(2000).ToList();
        var text = string.Join('\n', generated.Select(TrafficGenerator.ToJsonLine));
        var reader = new EventFileReader();
        var read = reader.Read(new StringReader(text)).ToList();
        Assert.Equal(InputFormat.RequestEvents, reader.Format);
        Assert.Equal(generated.Count, read.Count);
        for (var i = 0; i < read.Count; i++)
        {
            Assert.Equal(generated[i].Event, read[i].Event with { Principal = read[i].Event.Principal, Auth = read[i].Event.Auth, RateLimit = read[i].Event.RateLimit, Inspection = read[i].Event.Inspection });
            Assert.Equal(generated[i].Label, read[i].Label);
            Assert.Equal(generated[i].AttackClass, read[i].AttackClass);
            Assert.Equal(generated[i].Actor, read[i].Actor);
        }
    }

    [Fact]
    public void Labels_with_escapes_or_a_path_that_mentions_them_are_read_exactly()
    {
        var line = """{"v":1,"ts":"2026-01-05T09:00:00+00:00","request_id":"r1","client_ip":"192.0.2.1","method":"GET","path":"/x\"label\":\"attack","status":200,"label":"attack","attack_class":"scraping","actor":"slow \"quoted\" one"}""";
        var reader = new EventFileReader();
        var e = Assert.Single(reader.Read(new StringReader(line)));
        Assert.Equal("attack", e.Label);
        Assert.Equal("scraping", e.AttackClass);
        Assert.Equal("slow \"quoted\" one", e.Actor);
        Assert.Equal("/x\"label\":\"attack", e.Event.Path);
    }
}
