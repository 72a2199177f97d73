using System.Text;
using System.Text.Json;
using Analytics.Detection.Ingest;
using Analytics.Traffic;
using Analytics.Messaging;

namespace Analytics.Analyzer.Tests.Ingest;

/// <summary>The one-pass reader gives exactly what the contract's deserializer gives, or hands the line back to it.</summary>
public sealed class RequestEventReaderTests
{
    private static string Canonical(RequestEvent e) => JsonSerializer.Serialize(e, MessagesJsonContext.Default.RequestEvent);

    [Fact]
    public void Every_generated_line_reads_as_the_contract_deserializer_reads_it()
    {
        var options = new TrafficOptions { Seed = 5, BrowsingUsers = 200, Stealthy = true, Duration = TimeSpan.FromMinutes(70) };
        var checkedLines = 0;
        foreach (var labelled in TrafficGenerator.Generate(options).Where((_, i) => i % 7 == 0))
        {
            var line = TrafficGenerator.ToJsonLine(labelled);
            var bytes = Encoding.UTF8.GetBytes(line);

            Assert.True(RequestEventReader.TryRead(bytes, out var fast, out var label, out var attackClass, out var actor), line);
            var expected = JsonSerializer.Deserialize(line, MessagesJsonContext.Default.RequestEvent)!;
            Assert.Equal(Canonical(expected), Canonical(fast!));
            Assert.Equal(labelled.Label, label);
            Assert.Equal(labelled.AttackClass, attackClass);
            Assert.Equal(labelled.Actor, actor);
            checkedLines++;
        }

        Assert.True(checkedLines > 1000);
    }

    [Fact]
    public void Inspection_findings_nulls_and_unknown_properties_read_as_the_contract_reads_them()
    {
        var e = new RequestEvent
        {
            Timestamp = new DateTimeOffset(2026, 11, 28, 9, 0, 0, 123, TimeSpan.FromHours(1)),
            RequestId = "r-1",
            ClientIp = "2001:db8::7",
            Principal = new PrincipalInfo(PrincipalKinds.Jwt, "sub-1"),
            Method = "DELETE",
            Path = "/api/orders/7",
            Status = 403,
            UpstreamMs = 1.25,
            Auth = new AuthInfo(AuthOutcomes.Forbidden, "scope"),
            RateLimit = new RateLimitInfo("allowed", "authenticated"),
            Inspection = new InspectionInfo { Score = 8, Action = "block", Rules = ["sqli-1", "xss-2"], Categories = ["sqli", "xss"], Truncated = true },
            LoginHash = "h",
        };
        var json = Canonical(e);
        var withExtras = json[..^1] + ",\"future\":{\"a\":[1,{\"b\":null}]},\"trace_id\":null}";

        foreach (var line in new[] { json, withExtras })
        {
            Assert.True(RequestEventReader.TryRead(Encoding.UTF8.GetBytes(line), out var fast, out _, out _, out _));
            Assert.Equal(Canonical(JsonSerializer.Deserialize(line, MessagesJsonContext.Default.RequestEvent)!), Canonical(fast!));
        }
    }

    [Fact]
    public void Stream_messages_deserialize_as_the_contract_deserializes_them_and_bad_ones_still_throw()
    {
        var checkedMessages = 0;
        foreach (var labelled in TrafficGenerator.Generate(new TrafficOptions { Seed = 13, BrowsingUsers = 100, Stealthy = true, Duration = TimeSpan.FromMinutes(70) }).Where((_, i) => i % 5 == 0))
        {
            var bytes = MessageSchema.Serialize(labelled.Event, Streams.Requests);
            Assert.True(RequestEventReader.TryRead(bytes, out _, out _, out _, out _));
            Assert.Equal(Canonical(JsonSerializer.Deserialize(bytes, MessagesJsonContext.Default.RequestEvent)!), Canonical(MessageSchema.Deserialize(bytes, Streams.Requests)));
            checkedMessages++;
        }

        Assert.True(checkedMessages > 1000);
        foreach (var poison in new[] { "{\"status\":\"200\"}", "{\"ts\":\"yesterday\"}", "null", "{\"path\":\"/a\"" })
        {
            Assert.ThrowsAny<JsonException>(() => MessageSchema.Deserialize(Encoding.UTF8.GetBytes(poison), Streams.Requests));
        }
    }

    [Theory]
    [InlineData("{\"status\":\"200\"}")]
    [InlineData("{\"status\":200.5}")]
    [InlineData("{\"client_\\u0069p\":\"1.2.3.4\"}")]
    [InlineData("{\"principal\":{\"id\":\"x\"}}")]
    [InlineData("{\"ts\":\"yesterday\"}")]
    [InlineData("{\"path\":\"/a\"} trailing")]
    [InlineData("[1]")]
    [InlineData("{\"path\":\"/a\"")]
    public void Anything_outside_the_exact_shape_goes_back_to_the_contract_deserializer(string line)
    {
        Assert.False(RequestEventReader.TryRead(Encoding.UTF8.GetBytes(line), out _, out _, out _, out _));
    }

    [Fact]
    public void A_file_read_through_the_fast_path_equals_the_text_reader_path_and_counts_bad_lines()
    {
        var lines = TrafficGenerator.Generate(new TrafficOptions { Seed = 9, BrowsingUsers = 50 }).Take(500).Select(TrafficGenerator.ToJsonLine).ToList();
        lines.Insert(10, "{\"client_ip\":\"1.2.3.4\",\"status\":\"oops\"}");
        lines.Insert(20, "not json");
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "\uFEFF" + string.Join("\r\n", lines));
            var fileReader = new EventFileReader();
            var fromFile = fileReader.Read(path).ToList();
            var textReader = new EventFileReader();
            var fromText = textReader.Read(new StringReader(string.Join("\n", lines))).ToList();

            Assert.Equal(InputFormat.RequestEvents, fileReader.Format);
            Assert.Equal(textReader.Skipped, fileReader.Skipped);
            Assert.Equal(2, fileReader.Skipped);
            Assert.Equal(fromText.Select(x => Canonical(x.Event) + x.Label + x.AttackClass + x.Actor), fromFile.Select(x => Canonical(x.Event) + x.Label + x.AttackClass + x.Actor));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
